package org.vigie.server.cli;

/** Entry point of bin/vms (filled in by the launcher work). */
public final class VmsCommand {
    public static void main(String[] args) {
        System.err.println("vms: launcher not built yet");
        System.exit(2);
    }
}

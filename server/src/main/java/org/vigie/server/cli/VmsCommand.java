package org.vigie.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/vms}: the server's top-level command; each subcommand is a class of this package. {@code vms demo} and
 * {@code vms simulate} live in the launcher module (they bundle the simulator), {@code vms bench} in the bench
 * module; bin/vms sends each command to its jar.
 */
@Command(name = "vms", mixinStandardHelpOptions = true, version = "Vigie VMS 0.1.0",
        description = "Vigie video-management server.",
        subcommands = {RunCommand.class, CheckCommand.class, AuditCommand.class, DiscoverCommand.class,
                VerifyCommand.class, DoctorCommand.class, JvmOptionsCommand.class})
public final class VmsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VmsCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

package org.vigie.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/vms demo} and {@code bin/vms simulate}: the commands that bundle the project's simulated cameras with
 * the server. The server's own jar (what {@code vms run} starts) does not contain the simulator.
 */
@Command(name = "vms", mixinStandardHelpOptions = true, version = "Vigie VMS 0.1.0",
        description = "Vigie with simulated cameras: the demo and the simulator.",
        subcommands = {DemoCommand.class, SimulateCommand.class})
public final class LauncherCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LauncherCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

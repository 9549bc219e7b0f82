package org.vigie.server.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code vms doctor}: what this system lacks for the build, the server, the demo and the tests, and the
 * {@code apt-get} line that installs it ({@link Doctor}). {@code bin/vms doctor} runs {@link Doctor} from its source
 * file when the checkout has it, so that it works before the server is built; this command serves installed copies
 * that have only the jar.
 */
@Command(name = "doctor", description = "Check what Vigie needs from this system; print the apt-get line that installs what is missing.")
public final class DoctorCommand implements Callable<Integer> {

    /** Doctor's own options ({@code --help} lists them), passed on as they are. */
    @Unmatched
    List<String> args = List.of();

    @Override
    public Integer call() {
        return Doctor.run(args.toArray(String[]::new), System.out);
    }
}

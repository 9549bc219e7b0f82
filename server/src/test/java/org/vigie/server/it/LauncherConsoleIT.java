package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's console, read by a program or written to a log rather than shown on a terminal, holds no terminal
 * escape codes: not Maven's colour resets ({@code ESC[0m}, which Debian's Maven 3.8 prints even in batch mode
 * unless {@code .mvn/jvm.config} says {@code -Djansi.noreset=true}) from bin/vms's first build, nor picocli's ANSI
 * styles, nor the doctor's. Run as CI and systemd run it: stdout and stderr are files, TERM names a colour terminal.
 */
class LauncherConsoleIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final char ESC = '\u001b';

    @TempDir
    Path dir;

    private record Run(int exit, String stdout, String stderr) {
    }

    private Run run(List<String> command) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("TERM", "xterm-256color");
        env.remove("NO_COLOR");
        env.remove("CLICOLOR_FORCE");
        env.put("VMS_JAR", ServerProcess.JAR.toString());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void assertNoEscape(List<String> command, Run r) {
        assertThat(r.stdout().indexOf(ESC)).as("escape code in the stdout of %s: %s", command, visible(r.stdout())).isEqualTo(-1);
        assertThat(r.stderr().indexOf(ESC)).as("escape code in the stderr of %s: %s", command, visible(r.stderr())).isEqualTo(-1);
    }

    private static String visible(String s) {
        return s.replace(String.valueOf(ESC), "<ESC>");
    }

    @Test
    void launcherCommandsPrintNoEscapeCodes() throws Exception {
        String vms = ROOT.resolve("bin/vms").toString();
        List<List<String>> commands = List.of(
                List.of(vms, "--help"),
                List.of(vms, "run", "--help"),
                List.of(vms, "no-such-command"),                          // picocli's error and usage, on stderr
                List.of(vms, "check", "--config", dir.resolve("absent.yaml").toString()),
                List.of(vms, "doctor", "--for", "server", "--storage", dir.resolve("storage").toString()));
        for (List<String> c : commands) {
            Run r = run(c);
            assertThat(r.stdout() + r.stderr()).as("output of %s", c).isNotBlank();
            assertNoEscape(c, r);
        }
        Run usage = run(List.of(vms, "no-such-command"));
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.stderr()).contains("Unmatched argument at index 0: 'no-such-command'");
    }

    @Test
    void mavenAsBinVmsRunsItPrintsNoEscapeCodes() throws Exception {
        // bin/vms builds with `mvn -B -q` on first use; Maven's console is the same for any goal (here the root
        // project's validate, offline: what the build already resolved)
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "-o", "-N", "validate"));
        Run r = run(mvn);
        assertThat(r.exit()).as("mvn validate: %s%s", r.stdout(), r.stderr()).isZero();
        assertNoEscape(mvn, r);
    }
}

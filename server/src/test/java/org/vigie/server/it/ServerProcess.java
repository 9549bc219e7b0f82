package org.vigie.server.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged server ({@code target/vigie-server.jar}, as bin/vms runs it) in a process of its own. */
final class ServerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "vigie-server.jar").toAbsolutePath();

    private final Process process;

    private ServerProcess(Process process) {
        this.process = process;
    }

    static ServerProcess start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServerProcess(p);
    }

    /** Runs a launcher command to completion and returns its exit status; its output goes to {@code log}. */
    static int runToCompletion(Path log, String... args) throws IOException, InterruptedException {
        try (ServerProcess p = start(log, args)) {
            if (!p.process.waitFor(120, TimeUnit.SECONDS)) {
                throw new IOException("vms " + String.join(" ", args) + " did not finish");
            }
            return p.process.exitValue();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the crash under test. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: the clean shutdown. Returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("server did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}

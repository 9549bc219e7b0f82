package org.vigie.simulator.onvif;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A fresh Linux network namespace whose only interface is {@code lo}, brought up with multicast on and the
 * 224.0.0.0/4 route on it, so that multicast probes (WS-Discovery) sent by processes run inside it loop back and
 * can never leave the machine. Created with {@code ip netns add vigie-disc-<random>}; {@link #close()} runs
 * {@code ip netns del}. Needs root (CAP_SYS_ADMIN) and iproute2.
 *
 * <p>Invariant: every {@code ip} command is bounded ({@value #COMMAND_TIMEOUT_SECONDS} s) and a namespace that
 * could not be fully set up is deleted before {@link #create()} throws. Not thread-safe; one test owns it.
 */
final class LoopbackOnlyNamespace implements AutoCloseable {

    static final int COMMAND_TIMEOUT_SECONDS = 10;

    /** Thrown when the namespace cannot be created (not root, no iproute2, no netns support). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final String name;
    private boolean deleted;

    private LoopbackOnlyNamespace(String name) {
        this.name = name;
    }

    static LoopbackOnlyNamespace create() throws Unavailable, InterruptedException {
        String name = "vigie-disc-" + UUID.randomUUID().toString().substring(0, 8);
        String added;
        try {
            added = ip("netns", "add", name);
        } catch (IOException e) {
            throw new Unavailable("cannot run `ip netns add` (iproute2 missing?): " + e.getMessage());
        }
        if (added != null) {
            throw new Unavailable("`ip netns add " + name + "` failed (not root?): " + added);
        }
        LoopbackOnlyNamespace ns = new LoopbackOnlyNamespace(name);
        try {
            ns.inside("ip", "link", "set", "lo", "up");
            ns.inside("ip", "link", "set", "lo", "multicast", "on");
            ns.inside("ip", "route", "add", "224.0.0.0/4", "dev", "lo");
            return ns;
        } catch (IOException | RuntimeException | InterruptedException e) {
            ns.close();
            throw new IllegalStateException("namespace " + name + " created but not set up: " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    /** A process builder running {@code command} inside the namespace ({@code ip netns exec NAME ...}). */
    ProcessBuilder processBuilder(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return new ProcessBuilder(full);
    }

    /** Runs a short command inside the namespace; fails if it does not exit 0 in time. */
    private void inside(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("netns", "exec", name));
        full.addAll(List.of(command));
        String error = ip(full.toArray(String[]::new));
        if (error != null) {
            throw new IllegalStateException(String.join(" ", command) + ": " + error);
        }
    }

    /** Runs {@code ip args}; returns null on success, else its output and exit status. */
    private static String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out after " + COMMAND_TIMEOUT_SECONDS + " s";
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    }

    /** Deletes the namespace (idempotent). Kill the processes running inside it first. */
    @Override
    public void close() {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            String error = ip("netns", "del", name);
            if (error != null) {
                throw new IllegalStateException("ip netns del " + name + ": " + error);
            }
        } catch (IOException e) {
            throw new IllegalStateException("ip netns del " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting namespace " + name, e);
        }
    }
}

package org.vigie.testing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polls a condition of a live system until it holds or a deadline passes: the one await helper of every module's
 * tests. Real time is the subject of these waits (a camera connecting, a file published); assertions stay on media
 * time, counts and ordering. An exception thrown by the condition fails the wait at once.
 */
public final class Await {

    /** How often the condition is polled. */
    static final long POLL_MILLIS = 50;

    private Await() {
    }

    /** A condition polled against a live system; it may throw (the wait then fails with that exception). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits until {@code condition} holds; fails with "timed out after T waiting for WHAT" otherwise. */
    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        until(what, timeout, condition, () -> "");
    }

    /** The same; {@code detail} is appended to the failure message (the state seen last, for the report). */
    public static void until(String what, Duration timeout, Condition condition, Supplier<String> detail)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                String d = detail.get();
                throw new AssertionError("timed out after " + timeout + " waiting for " + what
                        + (d.isEmpty() ? "" : " " + d));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}

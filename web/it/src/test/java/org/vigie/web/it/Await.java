package org.vigie.web.it;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition of the live system (server, browser) until a deadline; never a fixed sleep. */
final class Await {

    private Await() {
    }

    /** A condition polled against the live system; an exception fails the wait at once. */
    @FunctionalInterface
    interface Condition {
        boolean ok() throws Exception;
    }

    static void until(String what, Duration timeout, Condition condition) throws Exception {
        until(what, timeout, condition, () -> "");
    }

    static void until(String what, Duration timeout, Condition condition, Supplier<String> detail) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " " + detail.get());
            }
            Thread.sleep(100);
        }
    }
}

package org.vigie.server.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition of a live system until a deadline (real time is the subject of these tests). */
final class Await {

    private Await() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(what, timeout, condition, () -> "");
    }

    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " " + detail.get());
            }
            Thread.sleep(50);
        }
    }
}

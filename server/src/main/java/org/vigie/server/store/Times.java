package org.vigie.server.store;

import java.time.Instant;

/** Instants as the store keeps them where microseconds matter (holds, register): epoch microseconds. */
final class Times {

    private Times() {
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /** What the store keeps of {@code t}. */
    static Instant truncate(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}

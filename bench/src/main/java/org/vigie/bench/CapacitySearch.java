package org.vigie.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/**
 * The search of {@code vms bench capacity}: the largest camera count a probe passes. Doubles from {@code start} while
 * probes pass (up to {@code max}), then bisects between the last count that passed and the first that failed until
 * they are at most a step apart: 10 % of the last good count or 25 cameras, whichever is larger. A failed
 * {@code start} bisects down from it (the last good count is then 0). Pure: the probe is a function, so the search is
 * tested without a server.
 */
final class CapacitySearch {

    /** One probe: the camera count and whether it passed. */
    record Probe(int cameras, boolean passed) {
    }

    /**
     * @param largestGood the largest count that passed (0 if none did)
     * @param firstBad    the smallest count that failed, or -1 if none did (the search reached {@code max})
     * @param complete    false when {@code mayContinue} stopped the search before its step was reached
     */
    record Result(int largestGood, int firstBad, List<Probe> probes, boolean complete) {
    }

    private CapacitySearch() {
    }

    /** The precision the bisection stops at, given the last count that passed. */
    static int step(int lastGood) {
        return Math.max(25, (int) Math.ceil(lastGood * 0.10));
    }

    /**
     * @param mayContinue asked before every probe; false stops the search (a time budget) and marks it incomplete
     */
    static Result search(int start, int max, IntPredicate probe, BooleanSupplier mayContinue) {
        if (start < 1 || max < start) {
            throw new IllegalArgumentException("1 <= start <= max, got start " + start + ", max " + max);
        }
        List<Probe> probes = new ArrayList<>();
        int good = 0;
        int bad = -1;
        int n = start;
        while (true) {
            if (!mayContinue.getAsBoolean()) {
                return new Result(good, bad, probes, false);
            }
            boolean ok = probe.test(n);
            probes.add(new Probe(n, ok));
            if (!ok) {
                bad = n;
                break;
            }
            good = n;
            if (n >= max) {
                return new Result(good, -1, probes, true);
            }
            n = (int) Math.min((long) n * 2, max);
        }
        while (bad - good > step(good)) {
            if (!mayContinue.getAsBoolean()) {
                return new Result(good, bad, probes, false);
            }
            int mid = good + (bad - good) / 2;
            boolean ok = probe.test(mid);
            probes.add(new Probe(mid, ok));
            if (ok) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return new Result(good, bad, probes, true);
    }
}

package org.vigie.server.auth;

import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins per source address, checked before any account is looked at: a source with {@code maxFailures}
 * failures within {@code window} is refused until its oldest failure leaves the window. Set below the account
 * lock-out threshold, one source cannot lock an account out (anyone could otherwise lock {@code admin} out every
 * lock-out duration).
 *
 * <p>Bounded: at most {@value #MAX_SOURCES} sources are remembered (the least recently failed are forgotten).
 * Thread-safe (synchronized; the work is a map look-up).
 */
public final class LoginThrottle {

    static final int MAX_SOURCES = 10_000;

    private final InstantSource clock;
    private final int maxFailures;
    private final long windowMillis;
    private final Map<String, long[]> sources = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    public LoginThrottle(InstantSource clock, int maxFailures, Duration window) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
    }

    /** The address part of a remote socket address as printed ({@code /127.0.0.1:5432} gives {@code 127.0.0.1}). */
    public static String sourceOf(String remote) {
        if (remote == null) return null;
        String s = remote.startsWith("/") ? remote.substring(1) : remote;
        int slash = s.indexOf('/');
        if (slash >= 0) s = s.substring(slash + 1); // "host/1.2.3.4:port"
        int colon = s.lastIndexOf(':');
        return colon > 0 && s.substring(colon + 1).chars().allMatch(Character::isDigit) ? s.substring(0, colon) : s;
    }

    /** Whether a login from {@code source} may be tried now (null: source unknown, never throttled). */
    public synchronized boolean allows(String source) {
        if (source == null) return true;
        long[] s = sources.get(source);
        return s == null || clock.millis() - s[1] >= windowMillis || s[0] < maxFailures;
    }

    /** Counts a failed login from {@code source}. */
    public synchronized void failed(String source) {
        if (source == null) return;
        long now = clock.millis();
        long[] s = sources.get(source);
        if (s == null || now - s[1] >= windowMillis) {
            sources.put(source, new long[] {1, now});
        } else {
            s[0]++;
        }
    }

    /** Forgets the failures of {@code source} after a successful login from it. */
    public synchronized void succeeded(String source) {
        if (source != null) sources.remove(source);
    }
}

package org.vigie.server.config;

import java.time.Duration;

/**
 * The {@code legal-holds} section: the bounds of a legal hold and the delay of its release.
 *
 * @param maxSpan      longest footage window {@code [from, to)} one hold may cover
 * @param maxExpiry    latest expiry a creation or an extension may set, from now
 * @param releaseGrace how long a released hold still keeps its footage: the time to notice a wrongful release (it
 *                     is audited) and put a new hold on the same range; 0 releases at once
 */
public record LegalHoldsConfig(Duration maxSpan, Duration maxExpiry, Duration releaseGrace) {

    public static final LegalHoldsConfig DEFAULTS = new LegalHoldsConfig(Duration.ofDays(366), Duration.ofDays(3660),
            Duration.ofHours(24));

    static LegalHoldsConfig read(ConfigNode n) throws ConfigException {
        LegalHoldsConfig c = new LegalHoldsConfig(
                n.duration("max-span", DEFAULTS.maxSpan(), Duration.ofHours(1), Duration.ofDays(3660)),
                n.duration("max-expiry", DEFAULTS.maxExpiry(), Duration.ofDays(1), Duration.ofDays(36_600)),
                n.duration("release-grace", DEFAULTS.releaseGrace(), Duration.ZERO, Duration.ofDays(30)));
        n.finish();
        return c;
    }
}

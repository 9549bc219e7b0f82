package org.vigie.server.config;

import java.time.Duration;

/**
 * The {@code auth} section: the first administrator, bearer tokens, lock-out and the Argon2id cost.
 *
 * @param adminPassword      password of the {@code admin} user created on first start when no administrator exists
 *                           (or null: then {@code VMS_ADMIN_PASSWORD} is used). Never printed by {@link #toString()}.
 * @param tokenTtl           lifetime of a bearer token issued by {@code POST /api/v1/auth/login}
 * @param lockoutFailures    failed logins within {@code lockoutWindow} that lock an account
 * @param lockoutWindow      the window in which failures are counted
 * @param lockoutDuration    how long a locked account refuses every login, even with the right password
 * @param sourceFailures     failed logins from one source address within {@code lockoutWindow} after which that
 *                           address is refused (429) before any account is looked at; below
 *                           {@code lockoutFailures} by default, so that one address cannot lock an account out
 * @param argon2MemoryKib    Argon2id memory cost per hash, KiB
 * @param argon2Iterations   Argon2id passes
 * @param argon2Parallelism  Argon2id lanes
 */
public record AuthConfig(String adminPassword, Duration tokenTtl, int lockoutFailures, Duration lockoutWindow,
                         Duration lockoutDuration, int argon2MemoryKib, int argon2Iterations, int argon2Parallelism,
                         int sourceFailures) {

    static AuthConfig read(ConfigNode n) throws ConfigException {
        String admin = n.string("admin-password", null);
        if (admin != null && admin.isEmpty()) {
            admin = null;
        }
        if (admin != null && admin.length() < 8) {
            throw new ConfigException(n.keyPath("admin-password"), "must be at least 8 characters");
        }
        int lockoutFailures = n.integer("lockout-failures", 5, 1, 1000);
        AuthConfig c = new AuthConfig(admin,
                n.duration("token-ttl", Duration.ofHours(8), Duration.ofMinutes(1), Duration.ofDays(30)),
                lockoutFailures,
                n.duration("lockout-window", Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofDays(1)),
                n.duration("lockout-duration", Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofDays(1)),
                n.integer("argon2-memory-kib", 19_456, 8, 4_194_304),
                n.integer("argon2-iterations", 2, 1, 100),
                n.integer("argon2-parallelism", 1, 1, 16),
                n.integer("source-failures", Math.max(1, lockoutFailures - 1), 1, 100_000));
        n.finish();
        return c;
    }

    @Override
    public String toString() {
        return "AuthConfig[adminPassword=" + (adminPassword == null ? "none" : "***") + ", tokenTtl=" + tokenTtl
                + ", lockoutFailures=" + lockoutFailures + ", lockoutWindow=" + lockoutWindow + ", lockoutDuration="
                + lockoutDuration + ", argon2=m" + argon2MemoryKib + ",t" + argon2Iterations + ",p"
                + argon2Parallelism + "]";
    }
}

package org.vigie.server.auth;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logins with lock-out, bearer tokens and API keys.
 *
 * <p>Lock-out: {@code maxFailures} failed logins of one user within {@code window} lock the account for
 * {@code lockDuration} (time from the injected clock); while locked, even the right password is refused. A success
 * resets the count. Unknown users cost the same Argon2 work as known ones, and both failures answer the same
 * message, so that the API does not reveal which names exist.
 *
 * <p>Tokens ({@code vt_...}) expire after {@code tokenTtl}; API keys ({@code vk_...}) until deleted. Both are 256-bit
 * random secrets stored as SHA-256 hashes and presented as {@code Authorization: Bearer <secret>}.
 *
 * <p>Thread-safe; blocking (database and Argon2): call from worker threads only.
 */
public final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    public static final String TOKEN_PREFIX = "vt_";
    public static final String API_KEY_PREFIX = "vk_";
    /** The administrator created at first start. */
    public static final String FIRST_ADMIN = "admin";

    private final UserStore users;
    private final PasswordHasher hasher;
    private final InstantSource clock;
    private final Duration tokenTtl;
    private final int maxFailures;
    private final Duration window;
    private final Duration lockDuration;
    private final String dummyHash;

    public Authenticator(UserStore users, PasswordHasher hasher, InstantSource clock, Duration tokenTtl,
                         int maxFailures, Duration window, Duration lockDuration) {
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
        this.tokenTtl = tokenTtl;
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockDuration = lockDuration;
        this.dummyHash = hasher.hash("not a password: equalises the cost of unknown users");
    }

    /** A successful login. */
    public record Login(String token, Instant expires, Principal principal) {
        @Override
        public String toString() {
            return "Login[" + principal.username() + ", expires " + expires + "]";
        }
    }

    /**
     * Creates the first administrator ({@value #FIRST_ADMIN}) when no administrator exists yet and a password is
     * given; returns whether it was created.
     */
    public boolean ensureAdministrator(String password) throws SQLException {
        if (users.anyAdministrator()) return false;
        if (password == null || password.isEmpty()) {
            LOG.warn("no administrator exists and neither auth.admin-password nor VMS_ADMIN_PASSWORD is set: "
                    + "nobody can use the API");
            return false;
        }
        boolean created = users.create(new UserRecord(FIRST_ADMIN, Role.ADMINISTRATOR, Set.of(), Set.of(),
                hasher.hash(password), 0, 0, 0), clock.millis());
        if (created) LOG.info("created the first administrator '{}'", FIRST_ADMIN);
        return created;
    }

    public Login login(String username, String password) throws AuthenticationException, SQLException {
        long now = clock.millis();
        Optional<UserRecord> found = users.find(username);
        if (found.isEmpty()) {
            hasher.verify(password, dummyHash);
            throw invalid();
        }
        UserRecord u = found.get();
        if (u.lockedUntil() > now) {
            throw new AuthenticationException(AuthenticationException.Reason.LOCKED,
                    "account locked after repeated failures; try again later");
        }
        if (!hasher.verify(password, u.passwordHash())) {
            boolean inWindow = u.failures() > 0 && now - u.firstFailure() < window.toMillis();
            int failures = inWindow ? u.failures() + 1 : 1;
            long first = inWindow ? u.firstFailure() : now;
            if (failures >= maxFailures) {
                users.setLockState(u.username(), 0, 0, now + lockDuration.toMillis());
                LOG.warn("user '{}' locked for {} after {} failed logins", u.username(), lockDuration, failures);
            } else {
                users.setLockState(u.username(), failures, first, 0);
            }
            throw invalid();
        }
        if (u.failures() != 0 || u.lockedUntil() != 0) {
            users.setLockState(u.username(), 0, 0, 0);
        }
        String token = Secrets.generate(TOKEN_PREFIX);
        long expires = now + tokenTtl.toMillis();
        users.addToken(Secrets.sha256(token), u.username(), expires, now);
        return new Login(token, Instant.ofEpochMilli(expires), u.principal());
    }

    /** The principal of an {@code Authorization} header value, if it holds a valid token or API key. */
    public Optional<Principal> authenticate(String authorization) throws SQLException {
        String secret = bearer(authorization);
        if (secret == null) return Optional.empty();
        String hash = Secrets.sha256(secret);
        if (secret.startsWith(TOKEN_PREFIX)) {
            return users.findByToken(hash, clock.millis()).map(UserRecord::principal);
        }
        if (secret.startsWith(API_KEY_PREFIX)) {
            return users.findByApiKey(hash).map(UserRecord::principal);
        }
        return Optional.empty();
    }

    /**
     * The user as stored now (role and grants), empty if the account no longer exists: the periodic re-check of
     * connections authenticated earlier. No password is involved.
     */
    public Optional<Principal> current(String username) throws SQLException {
        return users.find(username).map(UserRecord::principal);
    }

    /** Revokes the token of this header; false if it was not a known token. */
    public boolean logout(String authorization) throws SQLException {
        String secret = bearer(authorization);
        return secret != null && secret.startsWith(TOKEN_PREFIX) && users.deleteToken(Secrets.sha256(secret));
    }

    /** A new API key for a user: returned once, stored hashed. */
    public ApiKey createApiKey(String username, String name) throws SQLException {
        String key = Secrets.generate(API_KEY_PREFIX);
        String id = Secrets.generate("").substring(0, 12);
        users.addApiKey(Secrets.sha256(key), id, username, name, clock.millis());
        return new ApiKey(id, name, key);
    }

    /** A freshly created API key; {@code key} is shown this once. */
    public record ApiKey(String id, String name, String key) {
        @Override
        public String toString() {
            return "ApiKey[" + id + ", " + name + "]";
        }
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    private static String bearer(String authorization) {
        if (authorization == null) return null;
        String a = authorization.trim();
        if (a.length() < 8 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String s = a.substring(7).trim();
        return s.isEmpty() || s.length() > 200 ? null : s;
    }

    private static AuthenticationException invalid() {
        return new AuthenticationException(AuthenticationException.Reason.INVALID_CREDENTIALS,
                "invalid username or password");
    }
}

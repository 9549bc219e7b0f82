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
 * resets the count. The count is one atomic update ({@link UserStore#countFailure}): concurrent wrong passwords all
 * count. Unknown users and locked accounts cost the same Argon2 work as known ones, and every failure answers the
 * same message ({@link AuthenticationException#reason()} tells the audit trail which), so that the API reveals
 * neither which names exist nor which are locked. Before any account is looked at, a {@link LoginThrottle} refuses
 * a source address with too many recent failures (below the account threshold by default), so that one source
 * cannot lock an account out.
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
    private final LoginThrottle throttle;

    public Authenticator(UserStore users, PasswordHasher hasher, InstantSource clock, Duration tokenTtl,
                         int maxFailures, Duration window, Duration lockDuration) {
        this(users, hasher, clock, tokenTtl, maxFailures, window, lockDuration, Math.max(1, maxFailures - 1));
    }

    /**
     * @param sourceFailures failed logins from one source address within {@code window} after which that source is
     *                       refused (429) before any account is looked at
     */
    public Authenticator(UserStore users, PasswordHasher hasher, InstantSource clock, Duration tokenTtl,
                         int maxFailures, Duration window, Duration lockDuration, int sourceFailures) {
        this.throttle = new LoginThrottle(clock, sourceFailures, window);
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
        return login(username, password, null);
    }

    /**
     * @param source the client's address (the per-source throttle), or null when unknown
     */
    public Login login(String username, String password, String source) throws AuthenticationException,
            SQLException {
        if (!throttle.allows(source)) {
            throw new AuthenticationException(AuthenticationException.Reason.THROTTLED,
                    "too many failed logins from this address; try again later");
        }
        long now = clock.millis();
        Optional<UserRecord> found = users.find(username);
        if (found.isEmpty()) {
            hasher.verify(password, dummyHash);
            throttle.failed(source);
            throw invalid(AuthenticationException.Reason.INVALID_CREDENTIALS);
        }
        UserRecord u = found.get();
        boolean passwordOk = hasher.verify(password, u.passwordHash());
        if (u.lockedUntil() > now) {
            throttle.failed(source);
            throw invalid(AuthenticationException.Reason.LOCKED);
        }
        if (!passwordOk) {
            throttle.failed(source);
            if (users.countFailure(u.username(), now, window.toMillis(), maxFailures,
                    now + lockDuration.toMillis())) {
                LOG.warn("user '{}' locked for {} after {} failed logins", u.username(), lockDuration, maxFailures);
            }
            throw invalid(AuthenticationException.Reason.INVALID_CREDENTIALS);
        }
        throttle.succeeded(source);
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

    private static AuthenticationException invalid(AuthenticationException.Reason reason) {
        return new AuthenticationException(reason, "invalid username or password");
    }
}

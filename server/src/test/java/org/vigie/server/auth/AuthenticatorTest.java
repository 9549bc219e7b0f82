package org.vigie.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.store.Database;

/** Lock-out, token expiry and API keys, with time driven by an injected clock. */
class AuthenticatorTest {

    @TempDir
    Path dir;

    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));
    final InstantSource clock = () -> now.get();
    Database db;
    UserStore users;
    Authenticator auth;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("vms.db"));
        users = new UserStore(db);
        auth = new Authenticator(users, new PasswordHasher(64, 1, 1), clock, Duration.ofHours(1), 3,
                Duration.ofMinutes(5), Duration.ofMinutes(15));
        assertThat(auth.ensureAdministrator("first-admin-pw")).isTrue();
        assertThat(auth.ensureAdministrator("another-pw")).isFalse();
    }

    @AfterEach
    void close() {
        db.close();
    }

    void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void threeFailuresInTheWindowLockForFifteenMinutes() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> auth.login("admin", "wrong")).isInstanceOf(AuthenticationException.class)
                    .extracting(e -> ((AuthenticationException) e).reason())
                    .isEqualTo(AuthenticationException.Reason.INVALID_CREDENTIALS);
        }
        assertThatThrownBy(() -> auth.login("admin", "first-admin-pw"))
                .extracting(e -> ((AuthenticationException) e).reason()).isEqualTo(AuthenticationException.Reason.LOCKED);
        advance(Duration.ofMinutes(14));
        assertThatThrownBy(() -> auth.login("admin", "first-admin-pw"))
                .extracting(e -> ((AuthenticationException) e).reason()).isEqualTo(AuthenticationException.Reason.LOCKED);
        advance(Duration.ofMinutes(2));
        assertThat(auth.login("admin", "first-admin-pw").principal().role()).isEqualTo(Role.ADMINISTRATOR);
    }

    /** Security review (Medium): the count was read, Argon2 ran, then it was written back: concurrent failures counted once. */
    @Test
    void concurrentWrongPasswordsAllCount() throws Exception {
        Authenticator many = new Authenticator(users, new PasswordHasher(64, 1, 1), clock, Duration.ofHours(1), 1000,
                Duration.ofMinutes(5), Duration.ofMinutes(15));
        int n = 24;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    assertThatThrownBy(() -> many.login("admin", "wrong")).isInstanceOf(AuthenticationException.class);
                    return null;
                }));
            }
            for (var f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(users.find("admin").orElseThrow().failures()).as("every concurrent failure counted").isEqualTo(n);
    }

    /** Security review (Medium): a locked account answered differently from an unknown name. */
    @Test
    void aLockedAccountAnswersLikeAnUnknownName() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> auth.login("admin", "wrong")).isInstanceOf(AuthenticationException.class);
        }
        Throwable locked = org.assertj.core.api.Assertions.catchThrowable(() -> auth.login("admin", "first-admin-pw"));
        Throwable unknown = org.assertj.core.api.Assertions.catchThrowable(() -> auth.login("nobody", "first-admin-pw"));
        assertThat(((AuthenticationException) locked).reason()).isEqualTo(AuthenticationException.Reason.LOCKED);
        assertThat(locked).hasMessage(unknown.getMessage());
    }

    /** Security review (Medium): anyone could lock {@code admin} out; one source address is now stopped first. */
    @Test
    void oneSourceIsThrottledBeforeItCanLockTheAccount() throws Exception {
        String attacker = LoginThrottle.sourceOf("/192.0.2.7:40000");
        assertThat(attacker).isEqualTo("192.0.2.7");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> auth.login("admin", "wrong", attacker))
                    .extracting(e -> ((AuthenticationException) e).reason())
                    .isEqualTo(AuthenticationException.Reason.INVALID_CREDENTIALS);
        }
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> auth.login("admin", "wrong", attacker))
                    .extracting(e -> ((AuthenticationException) e).reason())
                    .isEqualTo(AuthenticationException.Reason.THROTTLED);
        }
        assertThat(auth.login("admin", "first-admin-pw", "198.51.100.1").principal().username())
                .as("the account is not locked: the source was stopped first").isEqualTo("admin");
        advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> auth.login("admin", "wrong", attacker))
                .extracting(e -> ((AuthenticationException) e).reason())
                .isEqualTo(AuthenticationException.Reason.INVALID_CREDENTIALS);
    }

    @Test
    void failuresOutsideTheWindowDoNotAccumulate() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.login("admin", "wrong")).isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> auth.login("admin", "wrong")).isInstanceOf(AuthenticationException.class);
            advance(Duration.ofMinutes(6));
        }
        assertThat(auth.login("admin", "first-admin-pw")).isNotNull();
    }

    @Test
    void successResetsTheCount() throws Exception {
        assertThatThrownBy(() -> auth.login("admin", "wrong")).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> auth.login("admin", "wrong")).isInstanceOf(AuthenticationException.class);
        auth.login("admin", "first-admin-pw");
        assertThatThrownBy(() -> auth.login("admin", "wrong")).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> auth.login("admin", "wrong")).isInstanceOf(AuthenticationException.class);
        assertThat(auth.login("admin", "first-admin-pw")).isNotNull();
    }

    @Test
    void tokensExpireAndAreStoredHashed() throws Exception {
        Authenticator.Login login = auth.login("admin", "first-admin-pw");
        assertThat(login.token()).startsWith(Authenticator.TOKEN_PREFIX).hasSizeGreaterThan(40);
        assertThat(login.toString()).doesNotContain(login.token());
        String header = "Bearer " + login.token();
        assertThat(auth.authenticate(header)).map(Principal::username).contains("admin");
        assertThat(auth.authenticate("bearer " + login.token())).isPresent();
        assertThat(auth.authenticate("Bearer " + login.token() + "x")).isEmpty();
        assertThat(users.findByToken(login.token(), now.get().toEpochMilli())).isEmpty(); // the raw token is no key
        advance(Duration.ofMinutes(59));
        assertThat(auth.authenticate(header)).isPresent();
        advance(Duration.ofMinutes(2));
        assertThat(auth.authenticate(header)).isEmpty();
    }

    @Test
    void apiKeysAuthenticateUntilRevoked() throws Exception {
        users.create(new UserRecord("acme", Role.INTEGRATOR, Set.of("cam-1"), Set.of(), "x", 0, 0, 0), 0);
        Authenticator.ApiKey key = auth.createApiKey("acme", "sync");
        Principal p = auth.authenticate("Bearer " + key.key()).orElseThrow();
        assertThat(p.role()).isEqualTo(Role.INTEGRATOR);
        assertThat(p.cameras()).containsExactly("cam-1");
        advance(Duration.ofDays(365));
        assertThat(auth.authenticate("Bearer " + key.key())).isPresent();
        assertThat(users.deleteApiKey("acme", key.id())).isTrue();
        assertThat(auth.authenticate("Bearer " + key.key())).isEmpty();
    }

    @Test
    void malformedHeadersAuthenticateNobody() throws Exception {
        for (String h : new String[] {null, "", "Bearer", "Bearer ", "Basic YWRtaW46eA==", "Bearer vt_", "vt_abc",
                "Bearer " + "vt_" + "a".repeat(500)}) {
            assertThat(auth.authenticate(h)).as(String.valueOf(h)).isEmpty();
        }
    }
}

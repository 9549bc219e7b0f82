package org.vigie.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vigie.server.store.Database;
import org.vigie.server.store.TestStore;

/**
 * Users, tokens and API keys on both stores. On PostgreSQL two nodes share them: a right granted or withdrawn on one
 * is what the other reads at its next request (nothing cached).
 */
class UserStoreTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void usersTokensAndKeysRoundTrip(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            UserStore users = new UserStore(db);
            UserRecord alice = new UserRecord("alice", Role.OPERATOR, Set.of("cam-1"), Set.of("d1"), "hash", 0, 0, 0);
            assertThat(users.create(alice, 1000)).isTrue();
            assertThat(users.create(alice, 1000)).isFalse();
            assertThat(users.find("alice")).contains(alice);
            assertThat(users.anyAdministrator()).isFalse();
            users.addToken("t1", "alice", 5000, 1000);
            assertThat(users.findByToken("t1", 4999)).contains(alice);
            assertThat(users.findByToken("t1", 5000)).isEmpty();
            users.addApiKey("k1", "key-1", "alice", "nvr", 1000);
            assertThat(users.findByApiKey("k1")).contains(alice);
            assertThat(users.apiKeys("alice")).extracting(UserStore.ApiKeyInfo::id).containsExactly("key-1");
            users.setLockState("alice", 3, 100, 200);
            assertThat(users.find("alice").orElseThrow().failures()).isEqualTo(3);
            assertThat(users.delete("alice")).isTrue();
            assertThat(users.findByApiKey("k1")).isEmpty(); // keys and tokens go with their user
            assertThat(users.list()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Database.Kind.class, names = "POSTGRESQL")
    void aRightChangedOnOneNodeIsInForceOnTheOther(Database.Kind kind) throws Exception {
        TestStore store = TestStore.of(kind, dir);
        try (Database nodeA = store.open(); Database nodeB = store.open()) {
            UserStore a = new UserStore(nodeA);
            UserStore b = new UserStore(nodeB);
            a.create(new UserRecord("bob", Role.OPERATOR, Set.of(), Set.of(), "hash", 0, 0, 0), 1000);
            b.addToken("tb", "bob", 10_000, 1000);
            assertThat(a.findByToken("tb", 2000)).isPresent();
            a.update("bob", Role.OPERATOR, Set.of("cam-7"), Set.of(), null);
            assertThat(b.findByToken("tb", 2000).orElseThrow().cameras()).containsExactly("cam-7");
            a.update("bob", Role.OPERATOR, Set.of(), Set.of(), null);
            assertThat(b.find("bob").orElseThrow().cameras()).isEmpty();
        }
    }

    /**
     * Two nodes creating the same user at the same moment (the first administrator, when the nodes of a new cluster
     * start together): one creates it, the other is told the name is taken; neither fails.
     */
    @ParameterizedTest
    @EnumSource(value = Database.Kind.class, names = "POSTGRESQL")
    void twoNodesCreatingOneUserAtOnceCreateItOnce(Database.Kind kind) throws Exception {
        TestStore store = TestStore.of(kind, dir);
        try (Database nodeA = store.open(); Database nodeB = store.open()) {
            UserStore a = new UserStore(nodeA);
            UserStore b = new UserStore(nodeB);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < 30; i++) {
                    UserRecord u = new UserRecord("admin" + i, Role.ADMINISTRATOR, Set.of(), Set.of(), "hash", 0, 0, 0);
                    var barrier = new java.util.concurrent.CyclicBarrier(2);
                    var fa = pool.submit(() -> {
                        barrier.await();
                        return a.create(u, 1000);
                    });
                    var fb = pool.submit(() -> {
                        barrier.await();
                        return b.create(u, 1000);
                    });
                    assertThat(java.util.List.of(fa.get(), fb.get())).as("round " + i).containsOnlyOnce(true);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}

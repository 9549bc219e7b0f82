package org.vigie.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.cli.AuditCommand;
import org.vigie.server.store.Database;
import org.vigie.server.store.TestStore;
import picocli.CommandLine;

/**
 * The audit chain detects what an attacker with write access to the database file can do: alter a field, remove a
 * record in the middle, remove the last records, re-chain a forged record without the head. The triggers refuse
 * plain UPDATE and DELETE; the tests drop them first, like an attacker would. Every case runs on both stores: the
 * embedded SQLite file and a real PostgreSQL (a cluster's shared store), where several nodes append to one chain.
 */
class AuditLogTest {

    @TempDir
    Path dir;

    AuditLog log(Database db) {
        return new AuditLog(db, InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z")));
    }

    TestStore fill(Database.Kind kind, int n) throws Exception {
        TestStore store = TestStore.of(kind, dir);
        try (Database db = store.open()) {
            AuditLog log = log(db);
            for (int i = 1; i <= n; i++) {
                log.append("op" + (i % 3), i % 2 == 0 ? AuditAction.LIVE_VIEW : AuditAction.CAMERA_READ,
                        "cam-" + i, Map.of("i", i));
            }
            assertThat(log.verify().intact()).isTrue();
            assertThat(log.verify().records()).isEqualTo(n);
        }
        return store;
    }

    void tamper(TestStore store, String... sql) throws SQLException {
        try (Connection c = store.raw(); Statement s = c.createStatement()) {
            store.dropAuditTriggers(s);
            for (String q : sql) s.execute(q);
        }
    }

    AuditVerification verify(TestStore store) throws Exception {
        try (Database db = store.open()) {
            return AuditLog.verify(db);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void recordsChainTheirPredecessor(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            AuditLog log = log(db);
            AuditRecord a = log.append("alice", AuditAction.LOGIN, null, Map.of());
            AuditRecord b = log.append("alice", AuditAction.LIVE_VIEW, "cam-1", Map.of("stream", "main"));
            assertThat(a.seq()).isEqualTo(1);
            assertThat(a.prevHash()).isEqualTo(AuditRecord.GENESIS);
            assertThat(b.prevHash()).isEqualTo(a.hash());
            assertThat(b.time()).isEqualTo("2026-03-01T10:00:00.000Z");
            assertThat(log.query(null, null, "alice", "cam-1", null, 0, 10)).containsExactly(b);
        }
    }

    /**
     * Three nodes of a cluster append to the shared store at once: still one chain, without gap or fork (each
     * append takes the chain's lock, so no two records claim the same predecessor).
     */
    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void concurrentAppendersOfSeveralNodesMakeOneChain(Database.Kind kind) throws Exception {
        TestStore store = TestStore.of(kind, dir);
        List<Database> nodes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            int nodeCount = kind == Database.Kind.SQLITE ? 1 : 3; // SQLite belongs to one process
            for (int i = 0; i < nodeCount; i++) nodes.add(store.open());
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                AuditLog log = log(nodes.get(t % nodes.size()));
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        log.append("node-" + thread, AuditAction.LIVE_VIEW, "cam-" + i, Map.of("i", i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            AuditVerification v = AuditLog.verify(nodes.get(0));
            assertThat(v.intact()).as(v.toString()).isTrue();
            assertThat(v.records()).isEqualTo(150);
        } finally {
            pool.shutdownNow();
            nodes.forEach(Database::close);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void plainUpdateAndDeleteAreRefusedByTheDatabase(Database.Kind kind) throws Exception {
        TestStore store = fill(kind, 3);
        try (Connection c = store.raw(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("UPDATE audit SET username = 'x' WHERE seq = 2"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("DELETE FROM audit WHERE seq = 2")).hasMessageContaining("append-only");
            if (kind == Database.Kind.POSTGRESQL) {
                assertThatThrownBy(() -> s.execute("TRUNCATE audit")).hasMessageContaining("append-only");
            }
        }
        assertThat(verify(store).intact()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void alteredFieldIsDetectedAtItsRecord(Database.Kind kind) throws Exception {
        TestStore store = fill(kind, 10);
        tamper(store, "UPDATE audit SET camera = 'cam-99' WHERE seq = 6");
        AuditVerification v = verify(store);
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenSeq()).isEqualTo(6);
        assertThat(v.problem()).contains("content");
    }

    /**
     * Security review (Low): the chain was unkeyed, so whoever could write the file could recompute it whole after
     * changing a record, head included, and {@code audit verify} said intact. The head is now signed with the
     * server's Ed25519 key.
     */
    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aChainRewrittenWholeFailsVerifyAgainstTheServersKey(Database.Kind kind) throws Exception {
        org.vigie.playback.export.EvidenceSigner k = org.vigie.playback.export.EvidenceSigner.loadOrCreate(
                dir.resolve("keys"));
        HeadKey key = new HeadKey() {
            @Override
            public byte[] sign(byte[] data) {
                return k.sign(data);
            }

            @Override
            public boolean verify(byte[] data, byte[] signature) {
                return k.verify(data, signature);
            }
        };
        TestStore store = TestStore.of(kind, dir);
        try (Database db = store.open()) {
            AuditLog log = new AuditLog(db, InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z")), key);
            for (int i = 1; i <= 5; i++) {
                log.append("op", AuditAction.LIVE_VIEW, "cam-" + i, Map.of("i", i));
            }
            assertThat(log.verify().intact()).as(log.verify().toString()).isTrue();
            // rewrite: record 3 made someone else's, every later hash and the head recomputed
            List<AuditRecord> all = log.query(null, null, null, null, null, 0, 100);
            List<String> sql = new java.util.ArrayList<>();
            String prev = all.get(1).hash();
            for (AuditRecord r : all.subList(2, all.size())) {
                AuditRecord forged = new AuditRecord(r.seq(), r.time(), r.seq() == 3 ? "someone-else" : r.user(),
                        r.action(), r.camera(), r.detail(), prev, null);
                String hash = forged.expectedHash();
                sql.add("UPDATE audit SET username = '" + forged.user() + "', prev_hash = '" + prev + "', hash = '"
                        + hash + "' WHERE seq = " + r.seq());
                prev = hash;
            }
            sql.add("UPDATE audit_head SET hash = '" + prev + "' WHERE id = 1");
            tamper(store, sql.toArray(String[]::new));
        }
        try (Database db = store.open()) {
            assertThat(AuditLog.verify(db).intact()).as("unkeyed, the rewritten chain looks intact").isTrue();
            AuditVerification v = AuditLog.verify(db, key);
            assertThat(v.intact()).as("with the server's key: %s", v).isFalse();
            assertThat(v.problem()).contains("signature");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void recomputedHashIsDetectedAtTheNextRecord(Database.Kind kind) throws Exception {
        TestStore store = fill(kind, 10);
        try (Database db = store.open()) {
            AuditRecord r = log(db).query(null, null, null, null, null, 4, 1).get(0);
            AuditRecord forged = new AuditRecord(r.seq(), r.time(), "someone-else", r.action(), r.camera(), r.detail(),
                    r.prevHash(), null);
            tamper(store, "UPDATE audit SET username = 'someone-else', hash = '" + forged.expectedHash()
                    + "' WHERE seq = 5");
        }
        AuditVerification v = verify(store);
        assertThat(v.brokenSeq()).isEqualTo(6);
        assertThat(v.problem()).contains("previous hash");
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void removedRecordIsDetected(Database.Kind kind) throws Exception {
        TestStore store = fill(kind, 10);
        tamper(store, "DELETE FROM audit WHERE seq = 4");
        AuditVerification v = verify(store);
        assertThat(v.brokenSeq()).isEqualTo(4);
        assertThat(v.problem()).contains("missing");
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void removedTailIsDetected(Database.Kind kind) throws Exception {
        TestStore store = fill(kind, 10);
        tamper(store, "DELETE FROM audit WHERE seq >= 9");
        AuditVerification v = verify(store);
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenSeq()).isEqualTo(9);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void auditVerifyCommandExitsOneOnTamper(Database.Kind kind) throws Exception {
        TestStore store = fill(kind, 5);
        Path config = dir.resolve("vms.yaml");
        Files.writeString(config, "storage: { path: '" + dir.resolve("rec") + "' }\n" + store.databaseYaml());
        assertThat(new CommandLine(new AuditCommand()).execute("verify", "--config", config.toString())).isZero();
        tamper(store, "UPDATE audit SET detail = '{\"i\":42}' WHERE seq = 3");
        assertThat(new CommandLine(new AuditCommand()).execute("verify", "--config", config.toString())).isEqualTo(1);
        Files.writeString(config, "storage: { paht: x }\n");
        assertThat(new CommandLine(new AuditCommand()).execute("verify", "--config", config.toString())).isEqualTo(78);
    }

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void exportWithoutReasonIsRefused(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            AuditLog log = log(db);
            assertThatThrownBy(() -> log.export("sup", "cam-1", " ", Map.of())).isInstanceOf(IllegalArgumentException.class);
            AuditRecord r = log.export("sup", "cam-1", "réquisition judiciaire n°42", Map.of("from", "t0"));
            assertThat(r.detail()).contains("réquisition judiciaire n°42");
            assertThat(log.verify().intact()).isTrue();
        }
    }

    /**
     * Issue 13: two nodes of a cluster append to one chain in turn, and {@code vms audit verify} passes from either
     * node's configuration (each node has its own evidence key; the head is signed with the cluster's key).
     */
    @org.junit.jupiter.api.Test
    void twoNodesAppendingInTurnLeaveAHeadEitherNodeVerifies() throws Exception {
        TestStore store = TestStore.of(Database.Kind.POSTGRESQL, dir);
        Map<String, Path> configs = new java.util.TreeMap<>();
        Map<String, AuditLog> logs = new java.util.TreeMap<>();
        List<Database> dbs = new java.util.ArrayList<>();
        try {
            for (String node : List.of("rec-01", "rec-02")) {
                Path config = dir.resolve(node + ".yaml");
                Files.writeString(config, "storage: { path: '" + dir.resolve("storage-" + node) + "' }\n"
                        + store.databaseYaml() + """
                        cluster:
                          zookeeper: 127.0.0.1:9
                          node-id: %s
                          advertise: http://127.0.0.1:9
                          secret: audit-test-cluster-secret
                        """.formatted(node));
                org.vigie.server.config.VmsConfig c = org.vigie.server.config.VmsConfig.load(config);
                Database db = store.open();
                dbs.add(db);
                configs.put(node, config);
                logs.put(node, HeadKeys.trail(db, InstantSource.system(), c.cluster(),
                        org.vigie.server.VmsServer.keysDir(c)));
            }
            for (int i = 1; i <= 4; i++) {
                String node = i % 2 == 1 ? "rec-01" : "rec-02";
                logs.get(node).append("op", AuditAction.LIVE_VIEW, "cam-" + i, Map.of("node", node));
                for (Map.Entry<String, Path> verifier : configs.entrySet()) {
                    assertThat(new CommandLine(new AuditCommand()).execute("verify", "--config",
                            verifier.getValue().toString()))
                            .as("vms audit verify on %s after %s appended record %d", verifier.getKey(), node, i)
                            .isZero();
                }
            }
        } finally {
            for (Database db : dbs) db.close();
        }
        // a chain rewritten by whoever can write the database but has not the secret still fails
        tamper(store, "UPDATE audit SET detail = '{\"node\":\"rec-03\"}' WHERE seq = 4");
        assertThat(new CommandLine(new AuditCommand()).execute("verify", "--config",
                configs.get("rec-01").toString())).isEqualTo(1);
    }

    /** Issue 13: a server that joins a cluster signs its head again with the cluster's key (it verified with its own). */
    @org.junit.jupiter.api.Test
    void aServerJoiningAClusterHasItsHeadSignedAgainWithTheClustersKey() throws Exception {
        TestStore store = TestStore.of(Database.Kind.POSTGRESQL, dir);
        Path keys = dir.resolve("keys-joining");
        HeadKey clusterKey = HeadKeys.cluster("audit-test-cluster-secret");
        try (Database db = store.open()) {
            HeadKeys.trail(db, InstantSource.system(), null, keys).append("op", AuditAction.LIVE_VIEW, "cam-1",
                    Map.of());
            assertThat(AuditLog.verify(db, HeadKeys.server(keys)).intact()).isTrue();
            assertThat(AuditLog.verify(db, clusterKey).intact()).isFalse();
            new AuditLog(db, InstantSource.system(), clusterKey, HeadKeys.server(keys));
            assertThat(AuditLog.verify(db, clusterKey).intact()).isTrue();
            // a head signed by neither key is left for verify to report, not signed again
            try (Connection c = store.raw(); Statement st = c.createStatement()) {
                st.execute("UPDATE audit_head SET signature = 'AAAA' WHERE id = 1");
            }
            new AuditLog(db, InstantSource.system(), clusterKey, HeadKeys.server(keys));
            assertThat(AuditLog.verify(db, clusterKey).intact()).isFalse();
        }
    }
}

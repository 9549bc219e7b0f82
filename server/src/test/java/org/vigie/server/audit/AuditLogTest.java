package org.vigie.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.cli.AuditCommand;
import org.vigie.server.store.Database;
import picocli.CommandLine;

/**
 * The audit chain detects what an attacker with write access to the database file can do: alter a field, remove a
 * record in the middle, remove the last records, re-chain a forged record without the head. The triggers refuse
 * plain UPDATE and DELETE; the tests drop them first, like an attacker would.
 */
class AuditLogTest {

    @TempDir
    Path dir;

    Path dbFile() {
        return dir.resolve("vms.db");
    }

    AuditLog log(Database db) {
        return new AuditLog(db, InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z")));
    }

    void fill(int n) throws Exception {
        try (Database db = Database.open(dbFile())) {
            AuditLog log = log(db);
            for (int i = 1; i <= n; i++) {
                log.append("op" + (i % 3), i % 2 == 0 ? AuditAction.LIVE_VIEW : AuditAction.CAMERA_READ,
                        "cam-" + i, Map.of("i", i));
            }
            assertThat(log.verify().intact()).isTrue();
            assertThat(log.verify().records()).isEqualTo(n);
        }
    }

    void tamper(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile()); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER audit_no_update");
            s.execute("DROP TRIGGER audit_no_delete");
            for (String q : sql) s.execute(q);
        }
    }

    AuditVerification verify() throws Exception {
        try (Database db = Database.open(dbFile())) {
            return AuditLog.verify(db);
        }
    }

    @Test
    void recordsChainTheirPredecessor() throws Exception {
        try (Database db = Database.open(dbFile())) {
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

    @Test
    void plainUpdateAndDeleteAreRefusedByTheDatabase() throws Exception {
        fill(3);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile()); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("UPDATE audit SET username = 'x' WHERE seq = 2"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("DELETE FROM audit WHERE seq = 2")).hasMessageContaining("append-only");
        }
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void alteredFieldIsDetectedAtItsRecord() throws Exception {
        fill(10);
        tamper("UPDATE audit SET camera = 'cam-99' WHERE seq = 6");
        AuditVerification v = verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenSeq()).isEqualTo(6);
        assertThat(v.problem()).contains("content");
    }

    /**
     * Security review (Low): the chain was unkeyed, so whoever could write the file could recompute it whole after
     * changing a record, head included, and {@code audit verify} said intact. The head is now signed with the
     * server's Ed25519 key.
     */
    @Test
    void aChainRewrittenWholeFailsVerifyAgainstTheServersKey() throws Exception {
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
        try (Database db = Database.open(dbFile())) {
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
            tamper(sql.toArray(String[]::new));
        }
        try (Database db = Database.open(dbFile())) {
            assertThat(AuditLog.verify(db).intact()).as("unkeyed, the rewritten chain looks intact").isTrue();
            AuditVerification v = AuditLog.verify(db, key);
            assertThat(v.intact()).as("with the server's key: %s", v).isFalse();
            assertThat(v.problem()).contains("signature");
        }
    }

    @Test
    void recomputedHashIsDetectedAtTheNextRecord() throws Exception {
        fill(10);
        try (Database db = Database.open(dbFile())) {
            AuditRecord r = log(db).query(null, null, null, null, null, 4, 1).get(0);
            AuditRecord forged = new AuditRecord(r.seq(), r.time(), "someone-else", r.action(), r.camera(), r.detail(),
                    r.prevHash(), null);
            tamper("UPDATE audit SET username = 'someone-else', hash = '" + forged.expectedHash() + "' WHERE seq = 5");
        }
        AuditVerification v = verify();
        assertThat(v.brokenSeq()).isEqualTo(6);
        assertThat(v.problem()).contains("previous hash");
    }

    @Test
    void removedRecordIsDetected() throws Exception {
        fill(10);
        tamper("DELETE FROM audit WHERE seq = 4");
        AuditVerification v = verify();
        assertThat(v.brokenSeq()).isEqualTo(4);
        assertThat(v.problem()).contains("missing");
    }

    @Test
    void removedTailIsDetected() throws Exception {
        fill(10);
        tamper("DELETE FROM audit WHERE seq >= 9");
        AuditVerification v = verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenSeq()).isEqualTo(9);
    }

    @Test
    void auditVerifyCommandExitsOneOnTamper() throws Exception {
        fill(5);
        Path config = dir.resolve("vms.yaml");
        Files.writeString(config, "storage: { path: '" + dir.resolve("rec") + "' }\ndatabase: { path: '" + dbFile()
                + "' }\n");
        assertThat(new CommandLine(new AuditCommand()).execute("verify", "--config", config.toString())).isZero();
        tamper("UPDATE audit SET detail = '{\"i\":42}' WHERE seq = 3");
        assertThat(new CommandLine(new AuditCommand()).execute("verify", "--config", config.toString())).isEqualTo(1);
        Files.writeString(config, "storage: { paht: x }\n");
        assertThat(new CommandLine(new AuditCommand()).execute("verify", "--config", config.toString())).isEqualTo(78);
    }

    @Test
    void exportWithoutReasonIsRefused() throws Exception {
        try (Database db = Database.open(dbFile())) {
            AuditLog log = log(db);
            assertThatThrownBy(() -> log.export("sup", "cam-1", " ", Map.of())).isInstanceOf(IllegalArgumentException.class);
            AuditRecord r = log.export("sup", "cam-1", "réquisition judiciaire n°42", Map.of("from", "t0"));
            assertThat(r.detail()).contains("réquisition judiciaire n°42");
            assertThat(log.verify().intact()).isTrue();
        }
    }
}

package org.vigie.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vigie.server.store.Database;

/**
 * The audit trail: an append-only, hash-chained table. Each record carries the hash of the previous one
 * ({@link AuditRecord}); the {@code audit_head} row remembers the last (seq, hash), so removing records anywhere,
 * including at the end, breaks the chain. SQLite triggers refuse UPDATE and DELETE on the table; the chain
 * detects what is done around them (editing the file, dropping the triggers). On PostgreSQL the same triggers refuse
 * UPDATE, DELETE and TRUNCATE.
 *
 * <p>Invariants checked by {@link #verify}: seq runs 1, 2, 3... without gap; record n's prev_hash is record n-1's
 * hash (the genesis hash for record 1); each hash recomputes; the head names the last record and its hash; with the
 * server's {@link HeadKey}, the head's signature verifies (an unkeyed chain can be recomputed whole by whoever can
 * write the file; a signed head cannot be forged without the key).
 *
 * <p>Thread-safe, and one chain for a whole cluster: appends are serialised by the {@link Database} transaction
 * and its {@link Database.Lock#AUDIT_CHAIN} lock (every node appends to the same PostgreSQL table). Blocking: worker
 * threads only.
 */
public final class AuditLog {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Database db;
    private final InstantSource clock;
    private final HeadKey key;

    /** An unkeyed trail (tests, tools): the head is not signed. */
    public AuditLog(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
        this.key = null;
    }

    /**
     * A trail whose head is signed with {@code key} at every append; a head left unsigned by an older version is
     * signed now (once: then every head is).
     */
    public AuditLog(Database db, InstantSource clock, HeadKey key) throws SQLException {
        this(db, clock, key, null);
    }

    /**
     * The same, also taking over a head signed with {@code previous} (a server that joined a cluster: its head was
     * signed with its own key, the cluster signs with one key for all nodes): such a head is signed again with
     * {@code key}. A head that verifies with neither is left as it is, for {@code vms audit verify} to report.
     */
    public AuditLog(Database db, InstantSource clock, HeadKey key, HeadKey previous) throws SQLException {
        this.db = db;
        this.clock = clock;
        this.key = key;
        db.write(c -> {
            db.lock(c, Database.Lock.AUDIT_CHAIN); // another node may be appending
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, hash, signature FROM audit_head WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long seq = rs.getLong(1);
                    String hash = rs.getString(2);
                    String signature = rs.getString(3);
                    boolean resign = signature == null
                            || previous != null && !signedBy(key, seq, hash, signature)
                            && signedBy(previous, seq, hash, signature);
                    if (resign) {
                        if (signature != null) {
                            LOG.info("audit: the head (record {}) signed with {} is signed again with {}", seq,
                                    previous, key);
                        }
                        try (PreparedStatement u = c.prepareStatement(
                                "UPDATE audit_head SET signature = ? WHERE id = 1")) {
                            u.setString(1, signature(key, seq, hash));
                            u.executeUpdate();
                        }
                    }
                }
            }
            return null;
        });
    }

    private static boolean signedBy(HeadKey key, long seq, String hash, String signature) {
        try {
            return key.verify(headBytes(seq, hash), java.util.Base64.getDecoder().decode(signature));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] headBytes(long seq, String hash) {
        return ("vigie-audit-head\n" + seq + "\n" + hash).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String signature(HeadKey key, long seq, String hash) {
        return java.util.Base64.getEncoder().encodeToString(key.sign(headBytes(seq, hash)));
    }

    /** Appends a record; {@code detail} values must not be secrets. */
    public AuditRecord append(String user, String action, String camera, Map<String, ?> detail) throws SQLException {
        ObjectNode d = JSON.valueToTree(new java.util.TreeMap<>(detail));
        String time = TIME.format(clock.instant());
        return db.write(c -> {
            db.lock(c, Database.Lock.AUDIT_CHAIN); // one chain for the whole cluster: one appender at a time
            long seq = 1;
            String prev = AuditRecord.GENESIS;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    seq = rs.getLong(1) + 1;
                    prev = rs.getString(2);
                }
            }
            AuditRecord unsigned = new AuditRecord(seq, time, user, action, camera, d.toString(), prev, null);
            AuditRecord r = new AuditRecord(seq, time, user, action, camera, d.toString(), prev,
                    unsigned.expectedHash());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (seq, time, username, action, camera, "
                    + "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, r.seq());
                ps.setString(2, r.time());
                ps.setString(3, r.user());
                ps.setString(4, r.action());
                ps.setString(5, r.camera());
                ps.setString(6, r.detail());
                ps.setString(7, r.prevHash());
                ps.setString(8, r.hash());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_head (id, seq, hash, signature) "
                    + "VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                    + "signature = excluded.signature")) {
                ps.setLong(1, r.seq());
                ps.setString(2, r.hash());
                ps.setString(3, key == null ? null : signature(key, r.seq(), r.hash()));
                ps.executeUpdate();
            }
            return r;
        });
    }

    /** Records an export; the law requires a reason, so a blank one is refused. */
    public AuditRecord export(String user, String camera, String reason, Map<String, ?> detail) throws SQLException {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an export needs a reason");
        }
        Map<String, Object> d = new java.util.HashMap<>(detail);
        d.put("reason", reason);
        return append(user, AuditAction.EXPORT, camera, d);
    }

    /** Records matching every non-null filter, oldest first, at most {@code limit}. */
    public List<AuditRecord> query(Instant from, Instant to, String user, String camera, String action, long afterSeq,
                                   int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(afterSeq);
        if (from != null) { sql.append(" AND time >= ?"); args.add(TIME.format(from)); }
        if (to != null) { sql.append(" AND time < ?"); args.add(TIME.format(to)); }
        if (user != null) { sql.append(" AND username = ?"); args.add(user); }
        if (camera != null) { sql.append(" AND camera = ?"); args.add(camera); }
        if (action != null) { sql.append(" AND action = ?"); args.add(action); }
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(limit);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                List<AuditRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
                return out;
            }
        });
    }

    /**
     * Recomputes the whole chain, streaming (memory stays flat whatever the number of records), on a snapshot read
     * through a connection of its own: appends go on meanwhile and are simply not part of this verification.
     */
    public AuditVerification verify() throws SQLException {
        return verify(db, key);
    }

    /** Verifies the chain without key: a chain recomputed whole by whoever could write the file passes. */
    public static AuditVerification verify(Database db) throws SQLException {
        return verify(db, null);
    }

    /** @param key the server's key: the head's signature must verify with it; null for an unkeyed check */
    public static AuditVerification verify(Database db, HeadKey key) throws SQLException {
        return db.readSeparately(c -> verify(c, key));
    }

    private static AuditVerification verify(Connection c, HeadKey key) throws SQLException {
        long expectedSeq = 1;
        String prev = AuditRecord.GENESIS;
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit ORDER BY seq");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                AuditRecord r = row(rs);
                if (r.seq() != expectedSeq) {
                    return new AuditVerification(expectedSeq - 1, expectedSeq,
                            "record " + expectedSeq + " is missing (next present is " + r.seq() + ")");
                }
                if (!r.prevHash().equals(prev)) {
                    return new AuditVerification(expectedSeq - 1, r.seq(), "its previous hash does not match record "
                            + (r.seq() - 1));
                }
                if (!r.expectedHash().equals(r.hash())) {
                    return new AuditVerification(expectedSeq - 1, r.seq(), "its content does not match its hash");
                }
                prev = r.hash();
                expectedSeq++;
            }
        }
        long last = expectedSeq - 1;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash, signature FROM audit_head WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            boolean present = rs.next();
            long headSeq = present ? rs.getLong(1) : 0;
            String headHash = headSeq == 0 ? AuditRecord.GENESIS : rs.getString(2);
            String signature = present ? rs.getString(3) : null;
            if (key != null && headSeq > 0) {
                boolean signed;
                try {
                    signed = signature != null && key.verify(headBytes(headSeq, headHash),
                            java.util.Base64.getDecoder().decode(signature));
                } catch (IllegalArgumentException e) {
                    signed = false;
                }
                if (!signed) {
                    return new AuditVerification(last, last, signature == null
                            ? "the head is not signed by the server's key (the chain was rewritten?)"
                            : "the head's signature does not verify with the server's key (the chain was rewritten)");
                }
            }
            if (headSeq != last) {
                return new AuditVerification(last, last + 1, "the trail ends at record " + last
                        + " but record " + headSeq + " was written (records removed at the end)");
            }
            if (!headHash.equals(prev)) {
                return new AuditVerification(last, last, "the last record's hash does not match the recorded head");
            }
        }
        return new AuditVerification(last, -1, null);
    }

    private static AuditRecord row(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong("seq"), rs.getString("time"), rs.getString("username"),
                rs.getString("action"), rs.getString("camera"), rs.getString("detail"), rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}

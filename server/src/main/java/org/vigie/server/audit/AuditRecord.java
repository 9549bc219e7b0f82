package org.vigie.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One record of the audit trail. {@code hash = SHA-256(prevHash || canonical())} where {@link #canonical()} is the
 * JSON array {@code [seq, time, user, action, camera, detail]}: changing any field, or the order, changes the hash.
 *
 * @param time    UTC, ISO-8601 with milliseconds
 * @param camera  the camera concerned, or null
 * @param detail  a JSON object (never a secret)
 */
public record AuditRecord(long seq, String time, String user, String action, String camera, String detail,
                          String prevHash, String hash) {

    /** The previous hash of the first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper JSON = new ObjectMapper();

    public String canonical() {
        ArrayNode a = JSON.createArrayNode();
        a.add(seq).add(time).add(user).add(action);
        if (camera == null) a.addNull(); else a.add(camera);
        a.add(detail);
        return a.toString();
    }

    /** The hash this record must carry given its fields and {@code prevHash}. */
    public String expectedHash() {
        return hash(prevHash, canonical());
    }

    static String hash(String prevHash, String canonical) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            d.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.vigie.server.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.InstantSource;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.vigie.playback.export.EvidenceSigner;
import org.vigie.server.config.ClusterConfig;
import org.vigie.server.store.Database;

/**
 * The key that signs the audit chain's head, one per system:
 * <ul>
 *   <li>a single server: its Ed25519 evidence key ({@code <database folder>/keys}), as before;</li>
 *   <li>a cluster: one key for every node, derived from {@code cluster.secret} (HMAC-SHA256 under a key that is
 *       HMAC-SHA256(secret, {@value #LABEL})): the chain is one for the whole cluster, so its head must verify
 *       whichever node appended last. Whoever holds the secret (every node, and {@code vms audit verify} through the
 *       same configuration file) can sign and check a head; whoever can only write the database cannot. The label
 *       keeps this key apart from the node-to-node credential the same secret derives.</li>
 * </ul>
 */
public final class HeadKeys {

    static final String LABEL = "vigie audit head key v1";

    private HeadKeys() {
    }

    /**
     * The audit trail of a server: signed with its own key ({@code keysDir}) when {@code cluster} is null, else with
     * the cluster's key, taking over a head this server signed with its own key before it joined the cluster.
     */
    public static AuditLog trail(Database db, InstantSource clock, ClusterConfig cluster, Path keysDir)
            throws IOException, SQLException {
        HeadKey own = server(keysDir);
        return cluster == null ? new AuditLog(db, clock, own) : new AuditLog(db, clock, cluster(cluster.secret()), own);
    }

    /** The cluster's head key, derived from {@code cluster.secret}. */
    public static HeadKey cluster(String secret) {
        byte[] key = hmac(secret.getBytes(StandardCharsets.UTF_8), LABEL.getBytes(StandardCharsets.UTF_8));
        return new HeadKey() {
            @Override
            public byte[] sign(byte[] data) {
                return hmac(key, data);
            }

            @Override
            public boolean verify(byte[] data, byte[] signature) {
                return MessageDigest.isEqual(hmac(key, data), signature);
            }

            @Override
            public String toString() {
                return "cluster head key (HMAC-SHA256 from cluster.secret)";
            }
        };
    }

    /** This server's evidence key in {@code keysDir}, created when missing. */
    public static HeadKey server(Path keysDir) throws IOException {
        EvidenceSigner k = EvidenceSigner.loadOrCreate(keysDir);
        return new HeadKey() {
            @Override
            public byte[] sign(byte[] data) {
                return k.sign(data);
            }

            @Override
            public boolean verify(byte[] data, byte[] signature) {
                return k.verify(data, signature);
            }

            @Override
            public String toString() {
                return "server key in " + keysDir;
            }
        };
    }

    /** This server's evidence key for checking only, null when {@code keysDir} holds none (nothing is created). */
    public static HeadKey serverIfPresent(Path keysDir) throws IOException {
        return Files.isDirectory(keysDir) ? server(keysDir) : null;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

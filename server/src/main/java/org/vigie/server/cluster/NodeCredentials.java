package org.vigie.server.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential of node-to-node calls (issue 13): never a user's token, but an HMAC-SHA256 with the cluster's
 * shared {@code cluster.secret} over the method, the path, the time and the acting user, in an {@code Authorization}
 * header of scheme {@value #SCHEME}:
 * <pre>
 *   Authorization: VigieNode node=rec-01 user=&lt;base64url of the user name&gt; time=&lt;epoch seconds&gt; sig=&lt;base64url&gt;
 *   sig = HMAC-SHA256(secret, "vigie-node-v1\n" + METHOD + "\n" + path + "\n" + time + "\n" + node + "\n" + user)
 * </pre>
 * The receiving node accepts it within {@link #WINDOW} of its own clock (a captured header is worth 30 s, for that
 * method and path only), then serves the request as the acting user, with that user's rights as stored now; the
 * view or export is audited by the node the user asked, not by the node that serves the bytes. Without the
 * secret, with another secret, outside the window or for another path: refused (401). Thread-safe.
 */
public final class NodeCredentials {

    public static final String SCHEME = "VigieNode";
    /** How far a call's time may be from the receiver's clock (both ways: clocks of nodes differ a little). */
    public static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** A verified node call: which node calls, for which user. */
    public record Caller(String node, String user) {
    }

    private final String nodeId;
    private final byte[] secret;
    private final InstantSource clock;

    public NodeCredentials(String nodeId, String secret, InstantSource clock) {
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("a cluster secret is required");
        this.nodeId = nodeId;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** Whether an Authorization value is of this scheme (to be verified, never trusted as such). */
    public static boolean isNodeCall(String authorization) {
        return authorization != null && authorization.startsWith(SCHEME + " ");
    }

    /** The header value for a call of this node on behalf of {@code user}. */
    public String sign(String method, String path, String user) {
        long time = clock.instant().getEpochSecond();
        return SCHEME + " node=" + nodeId + " user=" + B64.encodeToString(user.getBytes(StandardCharsets.UTF_8))
                + " time=" + time + " sig=" + B64.encodeToString(mac(method, path, time, nodeId, user));
    }

    /** The caller of a valid header for this method and path, made within {@link #WINDOW}; empty otherwise. */
    public Optional<Caller> verify(String authorization, String method, String path) {
        return verify(authorization, method, path, true);
    }

    /**
     * As {@link #verify}, without the time window: only to re-check a connection already admitted with a fresh
     * header (a WebSocket relayed for minutes re-presents the header it was opened with).
     */
    public Optional<Caller> verifyAdmitted(String authorization, String method, String path) {
        return verify(authorization, method, path, false);
    }

    private Optional<Caller> verify(String authorization, String method, String path, boolean fresh) {
        if (!isNodeCall(authorization)) return Optional.empty();
        Map<String, String> f = new HashMap<>();
        for (String part : authorization.substring(SCHEME.length() + 1).trim().split(" +")) {
            int eq = part.indexOf('=');
            if (eq <= 0) return Optional.empty();
            f.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String node = f.get("node");
        String user64 = f.get("user");
        String time = f.get("time");
        String sig = f.get("sig");
        if (node == null || user64 == null || time == null || sig == null || f.size() != 4) return Optional.empty();
        try {
            long t = Long.parseLong(time);
            if (fresh && Math.abs(clock.instant().getEpochSecond() - t) > WINDOW.toSeconds()) return Optional.empty();
            String user = new String(B64D.decode(user64), StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(mac(method, path, t, node, user), B64D.decode(sig))) return Optional.empty();
            return Optional.of(new Caller(node, user));
        } catch (IllegalArgumentException e) { // not a number, not base64
            return Optional.empty();
        }
    }

    private byte[] mac(String method, String path, long time, String node, String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(("vigie-node-v1\n" + method + "\n" + path + "\n" + time + "\n" + node + "\n" + user)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

package org.vigie.playback;

import java.util.List;
import java.util.Map;

/**
 * What a viewer asks about privacy masks when opening a view, an export, a snapshot or a re-stream: nothing (every
 * mask applies), or the lifting of the camera's liftable masks with a reason. Permanent masks cannot be asked to be
 * lifted: there is no value for it. Whether a lift is granted is the server's decision
 * ({@link PlaybackAccess#masks}).
 *
 * <p>On the wire, on every path: {@code unmask=liftable} and {@code reason=<text>} (query parameters of an export,
 * a snapshot, an RTSP URL; fields {@code unmask} and {@code reason} of a WebSocket {@code open}).
 *
 * @param liftable whether the liftable masks are asked to be lifted
 * @param reason   why (mandatory with a lift; null otherwise)
 */
public record MaskLift(boolean liftable, String reason) {

    /** No lift: every mask of the camera applies. */
    public static final MaskLift NONE = new MaskLift(false, null);
    /** The only value of {@code unmask}. */
    public static final String LIFTABLE = "liftable";
    /** Longest reason kept. */
    public static final int MAX_REASON = 1000;

    public MaskLift {
        if (reason != null && reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("'reason' has at most " + MAX_REASON + " characters");
        }
    }

    /**
     * The lift of the parameters {@code unmask} and {@code reason} (each null when absent).
     *
     * @throws IllegalArgumentException (a 400 for the caller) for an {@code unmask} other than {@code liftable}
     */
    public static MaskLift of(String unmask, String reason) {
        if (unmask == null || unmask.isEmpty()) {
            return NONE;
        }
        if (!unmask.equals(LIFTABLE)) {
            throw new IllegalArgumentException("'unmask' may only be '" + LIFTABLE + "' (permanent masks are never "
                    + "lifted)");
        }
        return new MaskLift(true, reason == null ? null : reason.strip());
    }

    /** The lift of a query string's parameters (Netty's {@code QueryStringDecoder.parameters()}). */
    public static MaskLift ofQuery(Map<String, List<String>> parameters) {
        return of(single(parameters, "unmask"), single(parameters, "reason"));
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> v = parameters.get(name);
        if (v == null || v.isEmpty()) return null;
        if (v.size() > 1) throw new IllegalArgumentException("'" + name + "' is given more than once");
        return v.get(0);
    }
}

package org.vigie.server.config;

/**
 * The {@code privacy} section: the burn-in of privacy masks into what leaves the server for anything but the
 * operators' client (exports, snapshots, the RTSP re-stream).
 *
 * @param maxTranscodes masked transcodings (decode, mask, re-encode) running at once; one more is refused with a
 *                      503 (HTTP, RTSP) or an error event (WebSocket)
 */
public record PrivacyConfig(int maxTranscodes) {

    public static final PrivacyConfig DEFAULTS = new PrivacyConfig(4);

    static PrivacyConfig read(ConfigNode n) throws ConfigException {
        PrivacyConfig c = new PrivacyConfig(n.integer("max-transcodes", DEFAULTS.maxTranscodes, 1, 256));
        n.finish();
        return c;
    }
}

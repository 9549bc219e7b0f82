package org.vigie.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.vigie.media.StreamKey;

/**
 * One camera entry. The password is a secret: {@link #toString()} never prints it, nor does any API.
 *
 * @param subUrl    the camera's sub stream (for video-wall tiles), or null
 * @param recordSub whether the sub stream is recorded too (the main stream always is, when enabled)
 * @param transport null to use {@code ingest.transport}
 * @param group     the camera group (a district) for rights, or null
 * @param retention how long recordings are kept, at most 30 days unless under legal hold
 */
public record CameraConfig(String id, String name, URI url, URI subUrl, boolean recordSub, String username,
                           String password, IngestConfig.Transport transport, boolean enabled, String group,
                           Duration retention) {

    /** The longest retention the law allows (CSI art. L252-5): 30 days. */
    public static final Duration MAX_RETENTION = Duration.ofDays(30);

    static CameraConfig read(ConfigNode n) throws ConfigException {
        String id = n.requiredString("id");
        if (!StreamKey.isSafeName(id)) {
            throw new ConfigException(n.keyPath("id"), "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, got '" + id + "'");
        }
        CameraConfig c = new CameraConfig(id,
                n.string("name", id),
                rtspUrl(n, "url", n.requiredString("url")),
                n.has("sub-url") ? rtspUrl(n, "sub-url", n.string("sub-url", null)) : null,
                n.bool("record-sub", false),
                n.string("username", null),
                n.string("password", null),
                n.enumValue("transport", null, IngestConfig.Transport.class),
                n.bool("enabled", true),
                n.string("group", null),
                n.duration("retention", MAX_RETENTION, Duration.ofSeconds(10), MAX_RETENTION));
        if (c.recordSub && c.subUrl == null) {
            throw new ConfigException(n.keyPath("record-sub"), "needs sub-url");
        }
        return c;
    }

    static URI rtspUrl(ConfigNode n, String key, String text) throws ConfigException {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(n.keyPath(key), "not a valid URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("rtsp") || uri.getScheme().equals("rtsps"))) {
            throw new ConfigException(n.keyPath(key), "must be an rtsp:// or rtsps:// URL, got '" + text + "'");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(n.keyPath(key), "has no host: '" + text + "'");
        }
        if (uri.getUserInfo() != null) {
            throw new ConfigException(n.keyPath(key), "must not embed credentials: use username and password");
        }
        return uri;
    }

    @Override
    public String toString() {
        return "CameraConfig[id=" + id + ", name=" + name + ", url=" + url + ", subUrl=" + subUrl + ", username="
                + username + ", password=" + (password == null ? "none" : "***") + ", enabled=" + enabled + "]";
    }
}

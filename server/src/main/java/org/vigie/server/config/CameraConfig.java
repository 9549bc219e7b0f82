package org.vigie.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import org.vigie.ingest.IngestEngines;
import org.vigie.media.StreamKey;

/**
 * One camera entry. The password is a secret: {@link #toString()} never prints it, nor does any API.
 *
 * @param url       the main stream (recorded); null only for an ONVIF camera whose streams are not resolved yet
 * @param subUrl    the camera's sub stream (for video-wall tiles), or null
 * @param recordSub whether the sub stream is recorded too (the main stream always is, when enabled)
 * @param transport null to use {@code ingest.transport}
 * @param group     the camera group (a district) for rights, or null
 * @param retention how long recordings are kept, at most 30 days unless under legal hold
 * @param onvif     the camera's ONVIF device service ({@code http://host/onvif/device_service}), or null: when
 *                  set, the server subscribes to its events and steers its PTZ head, and fills {@code url} and
 *                  {@code subUrl} from its media profiles when they are not given (org.vigie.server.onvif)
 * @param engine    null to use {@code ingest.engine}
 * @param tlsCaFile for {@code rtsps://} with the Java engine: PEM certificates to trust instead of the system store
 * @param tlsInsecure for {@code rtsps://} with the Java engine: accept any certificate (a self-signed camera); an
 *                  explicit, logged opt-out
 * @param basicOverHttp {@code basic-over-http}: whether the camera's password may be sent with HTTP Basic over
 *                  plain HTTP (false by default: only Digest, or Basic over HTTPS)
 * @param pin       in a cluster, the node that records this camera whenever it is up (null: the leader chooses)
 * @param bitrateKbps the expected bitrate of what is recorded of it (kbit/s), which a cluster balances across nodes
 */
public record CameraConfig(String id, String name, URI url, URI subUrl, boolean recordSub, String username,
                           String password, IngestConfig.Transport transport, boolean enabled, String group,
                           Duration retention, URI onvif, IngestEngines.Choice engine, Path tlsCaFile,
                           boolean tlsInsecure, boolean basicOverHttp, String pin, int bitrateKbps) {

    /** The expected bitrate of a camera that does not say: a 1080p H.264 main stream. */
    public static final int DEFAULT_BITRATE_KBPS = 4000;

    public CameraConfig {
        if (tlsCaFile != null && tlsInsecure) {
            throw new IllegalArgumentException("tls-ca-file and tls-insecure are exclusive");
        }
    }

    /** A camera without cluster placement. */
    public CameraConfig(String id, String name, URI url, URI subUrl, boolean recordSub, String username,
                        String password, IngestConfig.Transport transport, boolean enabled, String group,
                        Duration retention, URI onvif, IngestEngines.Choice engine, Path tlsCaFile,
                        boolean tlsInsecure, boolean basicOverHttp) {
        this(id, name, url, subUrl, recordSub, username, password, transport, enabled, group, retention, onvif,
                engine, tlsCaFile, tlsInsecure, basicOverHttp, null, DEFAULT_BITRATE_KBPS);
    }

    /** A camera without Basic over plain HTTP. */
    public CameraConfig(String id, String name, URI url, URI subUrl, boolean recordSub, String username,
                        String password, IngestConfig.Transport transport, boolean enabled, String group,
                        Duration retention, URI onvif, IngestEngines.Choice engine, Path tlsCaFile,
                        boolean tlsInsecure) {
        this(id, name, url, subUrl, recordSub, username, password, transport, enabled, group, retention, onvif,
                engine, tlsCaFile, tlsInsecure, false);
    }

    /** A camera with the default engine and certificate checks. */
    public CameraConfig(String id, String name, URI url, URI subUrl, boolean recordSub, String username,
                        String password, IngestConfig.Transport transport, boolean enabled, String group,
                        Duration retention, URI onvif) {
        this(id, name, url, subUrl, recordSub, username, password, transport, enabled, group, retention, onvif,
                null, null, false, false);
    }

    /** A camera without ONVIF device service. */
    public CameraConfig(String id, String name, URI url, URI subUrl, boolean recordSub, String username,
                        String password, IngestConfig.Transport transport, boolean enabled, String group,
                        Duration retention) {
        this(id, name, url, subUrl, recordSub, username, password, transport, enabled, group, retention, null);
    }

    /** This camera with its stream URLs set (as resolved through ONVIF). */
    public CameraConfig withStreams(URI mainUrl, URI subStreamUrl) {
        return new CameraConfig(id, name, mainUrl, subStreamUrl, recordSub, username, password, transport, enabled,
                group, retention, onvif, engine, tlsCaFile, tlsInsecure, basicOverHttp, pin, bitrateKbps);
    }

    /** This camera enabled or disabled, every other field kept (its cluster {@code pin} and bitrate included). */
    public CameraConfig withEnabled(boolean on) {
        return new CameraConfig(id, name, url, subUrl, recordSub, username, password, transport, on,
                group, retention, onvif, engine, tlsCaFile, tlsInsecure, basicOverHttp, pin, bitrateKbps);
    }

    /** The longest retention the law allows (CSI art. L252-5): 30 days. */
    public static final Duration MAX_RETENTION = Duration.ofDays(30);

    /** Reads one camera entry (also used by the API to validate a camera sent as JSON). */
    public static CameraConfig read(ConfigNode n) throws ConfigException {
        String id = n.requiredString("id");
        if (!StreamKey.isSafeName(id)) {
            throw new ConfigException(n.keyPath("id"), "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, got '" + id + "'");
        }
        URI onvif = n.has("onvif") ? httpUrl(n, "onvif", n.string("onvif", null)) : null;
        if (onvif == null && !n.has("url")) {
            throw new ConfigException(n.keyPath("url"), "is required (or give 'onvif', the camera's ONVIF device service)");
        }
        if (n.has("tls-ca-file") && n.bool("tls-insecure", false)) {
            throw new ConfigException(n.keyPath("tls-insecure"), "excludes tls-ca-file");
        }
        CameraConfig c = new CameraConfig(id,
                n.string("name", id),
                n.has("url") ? rtspUrl(n, "url", n.string("url", null)) : null,
                n.has("sub-url") ? rtspUrl(n, "sub-url", n.string("sub-url", null)) : null,
                n.bool("record-sub", false),
                n.string("username", null),
                n.string("password", null),
                n.enumValue("transport", null, IngestConfig.Transport.class),
                n.bool("enabled", true),
                n.string("group", null),
                n.duration("retention", MAX_RETENTION, Duration.ofSeconds(10), MAX_RETENTION),
                onvif,
                n.enumValue("engine", null, IngestEngines.Choice.class),
                n.has("tls-ca-file") ? Path.of(n.string("tls-ca-file", null)) : null,
                n.bool("tls-insecure", false),
                n.bool("basic-over-http", false),
                n.has("pin") ? nodeId(n, "pin") : null,
                n.integer("bitrate", DEFAULT_BITRATE_KBPS, 16, 1_000_000));
        if (c.recordSub && c.subUrl == null && c.onvif == null) {
            throw new ConfigException(n.keyPath("record-sub"), "needs sub-url");
        }
        return c;
    }

    static String nodeId(ConfigNode n, String key) throws ConfigException {
        String id = n.requiredString(key);
        if (!StreamKey.isSafeName(id)) {
            throw new ConfigException(n.keyPath(key), "must be a node id: 1-64 letters, digits, '.', '_' or '-', got '"
                    + id + "'");
        }
        return id;
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

    static URI httpUrl(ConfigNode n, String key, String text) throws ConfigException {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(n.keyPath(key), "not a valid URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new ConfigException(n.keyPath(key), "must be an http:// or https:// URL with a host, got '" + text + "'");
        }
        if (uri.getUserInfo() != null) {
            throw new ConfigException(n.keyPath(key), "must not embed credentials: use username and password");
        }
        return uri;
    }

    @Override
    public String toString() {
        return "CameraConfig[id=" + id + ", name=" + name + ", url=" + url + ", subUrl=" + subUrl + ", username="
                + username + ", password=" + (password == null ? "none" : "***") + ", enabled=" + enabled
                + (onvif == null ? "" : ", onvif=" + onvif) + (engine == null ? "" : ", engine=" + engine)
                + (tlsInsecure ? ", tls-insecure" : tlsCaFile != null ? ", tls-ca-file=" + tlsCaFile : "")
                + (pin == null ? "" : ", pin=" + pin) + "]";
    }
}

package org.vigie.server.config;

/**
 * The {@code server} section: where the server listens, and the limits of its HTTP API.
 *
 * <p>{@code bind-address} defaults to {@code 127.0.0.1} while TLS is not configured (passwords and tokens would
 * otherwise cross the network in clear), {@code 0.0.0.0} once it is; see {@link #clearTextOnNetwork(boolean)}.
 *
 * @param apiThreads      threads running API requests (store, password hashing, audit): never the event loop
 * @param apiQueue        requests waiting for one of those threads; beyond it the API answers 503
 * @param maxRequestBytes largest request body accepted; a larger one is answered 413
 * @param maxConnections  connections open at once on each listener (HTTP, RTSP); one more is closed at once
 * @param idleTimeout     an HTTP connection (TLS handshake included) with nothing read nor written for this long is
 *                        closed
 * @param rtspSessionTimeout the RTSP session timeout announced ({@code Session: id;timeout=}) and enforced: an RTSP
 *                        connection from which nothing is read for this long (no request, no RTCP) is closed
 * @param heapMb          the Java heap in MB ({@code server.heap}), or 0 for {@code auto}: sized by
 *                        {@code vms jvm-options} from the streams to record (read by the launcher, not the server)
 * @param rtspsPort       the re-stream over TLS ({@code rtsps://}), listening only when the {@code tls} section is
 *                        set, with the same certificate as HTTPS
 * @param rtspRequireTls  the plain RTSP port refuses every request but OPTIONS with 403 (no password is read in
 *                        clear); needs the {@code tls} section
 */
public record ServerConfig(String bindAddress, int httpPort, int rtspPort, int apiThreads, int apiQueue,
                           int maxRequestBytes, int maxConnections, java.time.Duration idleTimeout,
                           java.time.Duration rtspSessionTimeout, int heapMb, int rtspsPort, boolean rtspRequireTls) {

    private static final java.util.regex.Pattern HEAP = java.util.regex.Pattern.compile("(\\d{1,7})\\s*(MB|GB|M|G)");

    static ServerConfig read(ConfigNode n, boolean tls) throws ConfigException {
        ServerConfig c = new ServerConfig(
                n.string("bind-address", tls ? "0.0.0.0" : "127.0.0.1"),
                n.integer("http-port", 8080, 0, 65535),
                n.integer("rtsp-port", 8554, 0, 65535),
                n.integer("api-threads", 4, 1, 64),
                n.integer("api-queue", 256, 1, 100_000),
                n.integer("max-request-bytes", 65_536, 1024, 16 * 1024 * 1024),
                n.integer("max-connections", 4096, 1, 1_000_000),
                n.duration("idle-timeout", java.time.Duration.ofSeconds(120), java.time.Duration.ofMillis(100),
                        java.time.Duration.ofHours(1)),
                n.duration("rtsp-session-timeout", java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofHours(1)),
                heap(n),
                n.integer("rtsps-port", 8322, 0, 65535),
                n.bool("rtsp-require-tls", false));
        if (c.rtspRequireTls() && !tls) {
            throw new ConfigException(n.keyPath("rtsp-require-tls"), "needs the tls section (certificate and"
                    + " private-key): RTSPS uses them");
        }
        n.finish();
        return c;
    }

    /** {@code auto} (0) or a size in MB or GB, at least {@link org.vigie.server.memory.JvmOptions#MIN_HEAP_MB} MB. */
    private static int heap(ConfigNode n) throws ConfigException {
        String text = n.string("heap", "auto").trim().toUpperCase(java.util.Locale.ROOT);
        if (text.equals("AUTO")) return 0;
        java.util.regex.Matcher m = HEAP.matcher(text);
        int min = org.vigie.server.memory.JvmOptions.MIN_HEAP_MB;
        if (!m.matches()) {
            throw new ConfigException(n.keyPath("heap"), "must be 'auto' or a size (512MB, 2GB), got '" + text + "'");
        }
        long mb = Long.parseLong(m.group(1)) * (m.group(2).startsWith("G") ? 1024 : 1);
        if (mb < min || mb > 1024 * 1024) {
            throw new ConfigException(n.keyPath("heap"), "must be between " + min + "MB and 1024GB, got '" + text + "'");
        }
        return (int) mb;
    }

    /**
     * Whether credentials would cross the network in clear: listening beyond the loopback without TLS (the start
     * says so loudly then).
     */
    public boolean clearTextOnNetwork(boolean tls) {
        if (tls) return false;
        try {
            return !java.net.InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return true;
        }
    }
}

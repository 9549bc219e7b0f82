package org.vigie.server.config;

/**
 * The {@code server} section: where the server listens, and the limits of its HTTP API.
 *
 * @param apiThreads      threads running API requests (store, password hashing, audit): never the event loop
 * @param apiQueue        requests waiting for one of those threads; beyond it the API answers 503
 * @param maxRequestBytes largest request body accepted; a larger one is answered 413
 * @param heapMb          the Java heap in MB ({@code server.heap}), or 0 for {@code auto}: sized by
 *                        {@code vms jvm-options} from the streams to record (read by the launcher, not the server)
 */
public record ServerConfig(String bindAddress, int httpPort, int rtspPort, int apiThreads, int apiQueue,
                           int maxRequestBytes, int heapMb) {

    private static final java.util.regex.Pattern HEAP = java.util.regex.Pattern.compile("(\\d{1,7})\\s*(MB|GB|M|G)");

    static ServerConfig read(ConfigNode n) throws ConfigException {
        ServerConfig c = new ServerConfig(
                n.string("bind-address", "0.0.0.0"),
                n.integer("http-port", 8080, 0, 65535),
                n.integer("rtsp-port", 8554, 0, 65535),
                n.integer("api-threads", 4, 1, 64),
                n.integer("api-queue", 256, 1, 100_000),
                n.integer("max-request-bytes", 65_536, 1024, 16 * 1024 * 1024),
                heap(n));
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
}

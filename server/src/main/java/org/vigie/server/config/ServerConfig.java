package org.vigie.server.config;

/** The {@code server} section: where the server listens. */
public record ServerConfig(String bindAddress, int httpPort, int rtspPort) {

    static ServerConfig read(ConfigNode n) throws ConfigException {
        ServerConfig c = new ServerConfig(
                n.string("bind-address", "0.0.0.0"),
                n.integer("http-port", 8080, 0, 65535),
                n.integer("rtsp-port", 8554, 0, 65535));
        n.finish();
        return c;
    }
}

package org.vigie.server.config;

/**
 * The {@code metrics} section.
 *
 * @param enabled whether {@code /metrics} is served (authenticated like the API)
 * @param jvm     whether JVM metrics (memory, GC, threads, CPU) are included
 */
public record MetricsConfig(boolean enabled, boolean jvm) {

    static MetricsConfig read(ConfigNode n) throws ConfigException {
        MetricsConfig c = new MetricsConfig(n.bool("enabled", true), n.bool("jvm", true));
        n.finish();
        return c;
    }
}

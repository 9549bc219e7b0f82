package org.vigie.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A typed view of one mapping of the configuration file, à la Traccar's {@code Keys}: each read names its key, its
 * default and its bounds, so that every error message carries the full key path and the reason. Call
 * {@link #finish()} after reading: a key that was never read is unknown and refused (a typo must not silently
 * fall back to a default).
 */
public final class ConfigNode {

    private final String path;
    private final JsonNode node;
    private final Set<String> read = new HashSet<>();

    private ConfigNode(String path, JsonNode node) {
        this.path = path;
        this.node = node;
    }

    /** The root mapping of a document; an empty or absent document is an empty mapping. */
    public static ConfigNode root(JsonNode node) throws ConfigException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new ConfigNode("", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        }
        if (!node.isObject()) {
            throw new ConfigException("", "the configuration must be a mapping of sections (server, storage, cameras, ...)");
        }
        return new ConfigNode("", node);
    }

    public String path() {
        return path;
    }

    public String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private JsonNode value(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public String string(String key, String def) throws ConfigException {
        JsonNode v = value(key);
        if (v == null) return def;
        if (!v.isValueNode() || v.isBinary()) throw new ConfigException(keyPath(key), "must be a text value");
        return v.asText();
    }

    public String requiredString(String key) throws ConfigException {
        String s = string(key, null);
        if (s == null || s.isBlank()) throw new ConfigException(keyPath(key), "is required");
        return s;
    }

    public int integer(String key, int def, int min, int max) throws ConfigException {
        JsonNode v = value(key);
        if (v == null) return def;
        if (!v.isIntegralNumber() && !(v.isTextual() && v.asText().matches("-?\\d{1,10}"))) {
            throw new ConfigException(keyPath(key), "must be an integer, got '" + v.asText() + "'");
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw new ConfigException(keyPath(key), "must be between " + min + " and " + max + ", got " + n);
        }
        return (int) n;
    }

    public boolean bool(String key, boolean def) throws ConfigException {
        JsonNode v = value(key);
        if (v == null) return def;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) return Boolean.parseBoolean(v.asText());
        throw new ConfigException(keyPath(key), "must be true or false, got '" + v.asText() + "'");
    }

    public Duration duration(String key, Duration def, Duration min, Duration max) throws ConfigException {
        JsonNode v = value(key);
        if (v == null) return def;
        Duration d;
        try {
            d = Durations.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(keyPath(key), e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(keyPath(key), "must be between " + Durations.format(min) + " and "
                    + Durations.format(max) + ", got " + Durations.format(d));
        }
        return d;
    }

    public <E extends Enum<E>> E enumValue(String key, E def, Class<E> type) throws ConfigException {
        String s = string(key, null);
        if (s == null) return def;
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.replace('-', '_'))) return e;
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) allowed.add(e.name().toLowerCase().replace('_', '-'));
        throw new ConfigException(keyPath(key), "must be one of " + allowed + ", got '" + s + "'");
    }

    /** A nested mapping; absent means empty (all defaults). */
    public ConfigNode section(String key) throws ConfigException {
        JsonNode v = value(key);
        if (v == null) return new ConfigNode(keyPath(key), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        if (!v.isObject()) throw new ConfigException(keyPath(key), "must be a mapping");
        return new ConfigNode(keyPath(key), v);
    }

    /** A sequence of mappings, each read by {@code reader}; absent means empty. */
    public <T> List<T> list(String key, Reader<T> reader) throws ConfigException {
        JsonNode v = value(key);
        List<T> out = new ArrayList<>();
        if (v == null) return out;
        if (!v.isArray()) throw new ConfigException(keyPath(key), "must be a list");
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String p = keyPath(key) + "[" + i + "]";
            if (!item.isObject()) throw new ConfigException(p, "must be a mapping");
            ConfigNode child = new ConfigNode(p, item);
            out.add(reader.read(child));
            child.finish();
        }
        return out;
    }

    /** A sequence of text values; absent means {@code def}. */
    public List<String> strings(String key, List<String> def) throws ConfigException {
        JsonNode v = value(key);
        if (v == null) return def;
        if (!v.isArray()) throw new ConfigException(keyPath(key), "must be a list");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isValueNode()) throw new ConfigException(keyPath(key) + "[" + i + "]", "must be a text value");
            out.add(v.get(i).asText());
        }
        return out;
    }

    /** Refuses any key of this mapping that was not read: a typo must not fall back to a default. */
    public void finish() throws ConfigException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!read.contains(n)) {
                throw new ConfigException(keyPath(n), "unknown key (see conf/vms.yaml for every key and its default)");
            }
        }
    }

    /** Reads one value of a list. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ConfigNode node) throws ConfigException;
    }

    static <T> T check(String key, T value, Function<T, String> problem) throws ConfigException {
        String p = problem.apply(value);
        if (p != null) throw new ConfigException(key, p);
        return value;
    }
}

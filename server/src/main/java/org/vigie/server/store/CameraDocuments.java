package org.vigie.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.ConfigNode;
import org.vigie.server.config.Durations;

/**
 * Converts a {@link CameraConfig} to and from the mapping of a camera entry in {@code conf/vms.yaml} (kebab-case
 * keys), so that a camera stored in the database or sent to the API is validated by exactly the rules of the
 * configuration file.
 */
public final class CameraDocuments {

    private CameraDocuments() {
    }

    /** The camera as a configuration mapping; the password only when {@code withPassword}. */
    public static ObjectNode toNode(CameraConfig c, boolean withPassword) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        if (c.url() != null) n.put("url", c.url().toString());
        if (c.onvif() != null) n.put("onvif", c.onvif().toString());
        if (c.subUrl() != null) n.put("sub-url", c.subUrl().toString());
        n.put("record-sub", c.recordSub());
        if (c.username() != null) n.put("username", c.username());
        if (withPassword && c.password() != null) n.put("password", c.password());
        if (c.transport() != null) n.put("transport", c.transport().name().toLowerCase());
        n.put("enabled", c.enabled());
        if (c.group() != null) n.put("group", c.group());
        n.put("retention", Durations.format(c.retention()));
        if (c.basicOverHttp()) n.put("basic-over-http", true);
        if (c.pin() != null) n.put("pin", c.pin());
        n.put("bitrate", c.bitrateKbps());
        if (c.engine() != null) n.put("engine", c.engine().name().toLowerCase());
        if (c.tlsCaFile() != null) n.put("tls-ca-file", c.tlsCaFile().toString());
        if (c.tlsInsecure()) n.put("tls-insecure", true);
        return n;
    }

    /** Reads and validates a camera mapping; an unknown key is refused. */
    public static CameraConfig fromNode(JsonNode node) throws ConfigException {
        if (node == null || !node.isObject()) {
            throw new ConfigException("", "a camera must be a JSON object");
        }
        ConfigNode n = ConfigNode.root(node);
        CameraConfig c = CameraConfig.read(n);
        n.finish();
        return c;
    }
}

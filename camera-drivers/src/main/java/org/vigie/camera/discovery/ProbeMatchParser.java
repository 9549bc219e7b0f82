package org.vigie.camera.discovery;

import static org.vigie.camera.onvif.SecureXml.child;
import static org.vigie.camera.onvif.SecureXml.children;
import static org.vigie.camera.onvif.SecureXml.descendant;
import static org.vigie.camera.onvif.SecureXml.text;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.DiscoveredDevice;
import org.vigie.camera.onvif.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads a {@code ProbeMatches} datagram into {@link DiscoveredDevice}s, with the same hardened parser as the
 * driver (a datagram is untrusted input from anyone on the network). Scopes are parsed per the ONVIF Core
 * specification: {@code onvif://www.onvif.org/name/<name>}, {@code .../hardware/<model>},
 * {@code .../location/<path>}, values URL-encoded.
 */
public final class ProbeMatchParser {

    private static final String SCOPE_PREFIX = "onvif://www.onvif.org/";

    private ProbeMatchParser() {
    }

    /** The message's {@code RelatesTo} header (the probe's MessageID), or empty. */
    public static String relatesTo(Document doc) {
        return child(doc.getDocumentElement(), "Header").map(h -> text(h, "RelatesTo")).orElse("");
    }

    /** The matches of a ProbeMatches message; devices without endpoint reference are skipped. */
    public static List<DiscoveredDevice> matches(Document doc) {
        List<DiscoveredDevice> out = new ArrayList<>();
        Optional<Element> body = child(doc.getDocumentElement(), "Body");
        Optional<Element> matches = body.flatMap(b -> child(b, "ProbeMatches"));
        if (matches.isEmpty()) {
            return out;
        }
        for (Element m : children(matches.get(), "ProbeMatch")) {
            String epr = descendant(m, "Address").map(e -> e.getTextContent().trim()).orElse("");
            if (epr.isEmpty()) {
                continue;
            }
            List<URI> xaddrs = new ArrayList<>();
            for (String x : split(text(m, "XAddrs"))) {
                try {
                    URI u = new URI(x);
                    if ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) {
                        xaddrs.add(u);
                    }
                } catch (java.net.URISyntaxException ignored) {
                    // a broken address among good ones is skipped
                }
            }
            List<String> scopes = split(text(m, "Scopes"));
            out.add(new DiscoveredDevice(epr, xaddrs, split(text(m, "Types")), scopes, scope(scopes, "name/"),
                    scope(scopes, "hardware/"), scope(scopes, "location/")));
        }
        return out;
    }

    public static List<DiscoveredDevice> parse(byte[] datagram) throws CameraDriverException {
        return matches(SecureXml.parse(datagram));
    }

    /** The decoded value(s) of the scopes starting with {@code onvif://www.onvif.org/<kind>}, joined by '/'. */
    static String scope(List<String> scopes, String kind) {
        List<String> values = new ArrayList<>();
        for (String s : scopes) {
            if (s.regionMatches(true, 0, SCOPE_PREFIX + kind, 0, SCOPE_PREFIX.length() + kind.length())) {
                String v = s.substring(SCOPE_PREFIX.length() + kind.length());
                try {
                    values.add(URLDecoder.decode(v, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    values.add(v);
                }
            }
        }
        return String.join("/", values);
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.stream(s.trim().split("\\s+")).toList();
    }
}

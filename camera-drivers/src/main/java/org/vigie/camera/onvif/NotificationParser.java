package org.vigie.camera.onvif;

import static org.vigie.camera.onvif.SecureXml.attribute;
import static org.vigie.camera.onvif.SecureXml.child;
import static org.vigie.camera.onvif.SecureXml.children;

import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.vigie.camera.CameraEvent;
import org.w3c.dom.Element;

/**
 * Turns the {@code wsnt:NotificationMessage} elements of a {@code PullMessagesResponse} into
 * {@link CameraEvent}s. A message that cannot be read (no topic, no time) is skipped, never fatal: one bad
 * notification must not stop the camera's event stream.
 */
public final class NotificationParser {

    private static final List<String> STATE_NAMES = List.of("IsMotion", "State", "IsTamper", "LogicalState",
            "IsActive", "Active");

    private NotificationParser() {
    }

    /** Every readable notification of a PullMessages response. */
    public static List<CameraEvent> parse(String cameraId, Element pullMessagesResponse, Instant fallbackTime) {
        List<CameraEvent> out = new ArrayList<>();
        for (Element n : children(pullMessagesResponse, "NotificationMessage")) {
            parseOne(cameraId, n, fallbackTime).ifPresent(out::add);
        }
        return out;
    }

    static Optional<CameraEvent> parseOne(String cameraId, Element notification, Instant fallbackTime) {
        String rawTopic = child(notification, "Topic").map(e -> e.getTextContent()).orElse("");
        if (rawTopic.isBlank()) {
            return Optional.empty();
        }
        // wsnt:Message wraps tt:Message
        Optional<Element> wrapper = child(notification, "Message");
        Optional<Element> message = wrapper.flatMap(w -> child(w, "Message")).or(() -> wrapper);
        if (message.isEmpty()) {
            return Optional.empty();
        }
        Element m = message.get();
        Instant time = parseTime(attribute(m, "UtcTime")).orElse(fallbackTime);
        String topic = EventTopics.normalise(rawTopic);
        List<String[]> data = items(m, "Data");
        List<String[]> source = items(m, "Source");
        return Optional.of(new CameraEvent(cameraId, time, topic, EventTopics.classify(topic), state(data),
                join(source), serialise(m)));
    }

    private static boolean state(List<String[]> data) {
        for (String name : STATE_NAMES) {
            for (String[] item : data) {
                if (item[0].equalsIgnoreCase(name)) {
                    return bool(item[1]);
                }
            }
        }
        for (String[] item : data) {
            String v = item[1].toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                return bool(v);
            }
        }
        return true;
    }

    private static boolean bool(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("true") || s.equals("1") || s.equals("active");
    }

    private static List<String[]> items(Element message, String section) {
        List<String[]> out = new ArrayList<>();
        child(message, section).ifPresent(s -> {
            for (Element item : children(s, "SimpleItem")) {
                out.add(new String[] {attribute(item, "Name"), attribute(item, "Value")});
            }
        });
        return out;
    }

    private static String join(List<String[]> items) {
        StringBuilder b = new StringBuilder();
        for (String[] i : items) {
            if (b.length() > 0) {
                b.append(';');
            }
            b.append(i[0]).append('=').append(i[1]);
        }
        return b.toString();
    }

    static Optional<Instant> parseTime(String s) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    static String serialise(Element e) {
        try {
            TransformerFactory f = TransformerFactory.newInstance();
            f.setAttribute(javax.xml.XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(javax.xml.XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = f.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(w));
            return w.toString();
        } catch (TransformerException ex) {
            return e.getTextContent();
        }
    }
}

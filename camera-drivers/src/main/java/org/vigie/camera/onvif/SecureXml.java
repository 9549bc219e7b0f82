package org.vigie.camera.onvif;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.vigie.camera.CameraDriverException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * A namespace-aware XML parser hardened against hostile devices, plus the few DOM look-ups the driver needs.
 *
 * <p>Invariants: any document with a DOCTYPE is refused (so no internal or external entity, no DTD fetch, no
 * "billion laughs"); XInclude and entity expansion are off; secure processing limits are on. Look-ups match on
 * local names only, because vendors bind the ONVIF namespaces to every prefix imaginable ({@code tt:},
 * {@code trt:}, {@code ns2:}, default namespace...).
 *
 * <p>Thread-safe: each thread parses with its own {@link DocumentBuilder}.
 */
public final class SecureXml {

    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(SecureXml::newBuilder);

    private SecureXml() {
    }

    static DocumentBuilderFactory hardenedFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
        return f;
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilder b = hardenedFactory().newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler()); // no stderr noise; fatal errors still throw
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a whole document; anything not well-formed, or carrying a DOCTYPE, is {@code MALFORMED}. */
    public static Document parse(byte[] xml) throws CameraDriverException {
        DocumentBuilder b = BUILDER.get();
        b.reset();
        b.setErrorHandler(new DefaultHandler());
        try {
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new CameraDriverException(CameraDriverException.Kind.MALFORMED,
                    "unparseable XML (" + e.getMessage() + ")", e);
        }
    }

    /** The first child element with this local name. */
    public static Optional<Element> child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** All child elements with this local name, in document order. */
    public static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first child element, whatever its name. */
    public static Optional<Element> firstChild(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Follows a path of child local names, e.g. {@code path(p, "VideoEncoderConfiguration", "Resolution")}. */
    public static Optional<Element> path(Element from, String... localNames) {
        Element current = from;
        for (String name : localNames) {
            Optional<Element> next = child(current, name);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
        }
        return Optional.of(current);
    }

    /** The first descendant (depth first) with this local name. */
    public static Optional<Element> descendant(Element from, String localName) {
        List<Element> all = descendants(from, localName);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** All descendants with this local name, in document order. */
    public static List<Element> descendants(Element from, String localName) {
        List<Element> out = new ArrayList<>();
        var list = from.getElementsByTagNameNS("*", localName);
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    /** Trimmed text of the child path, or empty string. */
    public static String text(Element from, String... localNames) {
        return path(from, localNames).map(e -> e.getTextContent().trim()).orElse("");
    }

    /** An attribute by local name whatever its namespace, or empty string. */
    public static String attribute(Element e, String localName) {
        var attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Node a = attrs.item(i);
            String name = a.getLocalName() != null ? a.getLocalName() : a.getNodeName();
            if (localName.equals(name)) {
                return a.getNodeValue().trim();
            }
        }
        return "";
    }

    /** Escapes text for an XML element or attribute value. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}

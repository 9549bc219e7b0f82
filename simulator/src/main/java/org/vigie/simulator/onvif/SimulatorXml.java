package org.vigie.simulator.onvif;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.helpers.DefaultHandler;

/**
 * XML helpers of the simulator: a parser that refuses DOCTYPEs (clients are untrusted even in a simulator) and
 * local-name look-ups. Deliberately independent of the driver's code, so that the simulator checks the driver
 * instead of sharing its mistakes.
 */
final class SimulatorXml {

    private SimulatorXml() {
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        var b = f.newDocumentBuilder();
        b.setErrorHandler(new DefaultHandler());
        return b.parse(new ByteArrayInputStream(xml));
    }

    static Optional<Element> child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static Optional<Element> firstChild(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static Optional<Element> descendant(Element from, String localName) {
        var list = from.getElementsByTagNameNS("*", localName);
        return list.getLength() == 0 ? Optional.empty() : Optional.of((Element) list.item(0));
    }

    static List<Element> descendants(Element from, String localName) {
        List<Element> out = new ArrayList<>();
        var list = from.getElementsByTagNameNS("*", localName);
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    static String text(Element from, String localName) {
        return descendant(from, localName).map(e -> e.getTextContent().trim()).orElse("");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package org.vigie.simulator.onvif;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The privacy masks of a simulated camera, as ONVIF Media2 exposes them ({@code GetMaskOptions}, {@code GetMasks},
 * {@code CreateMask}, {@code DeleteMask}; ONVIF Media2 service specification, section "Privacy masks"): opaque
 * polygons of the video source configuration, in ONVIF's normalised coordinates (-1..1, y upwards), at most
 * {@link #MAX_MASKS} of at most {@link #MAX_POINTS} points, of type {@code Color}.
 *
 * <p>Thread-safe (synchronized).
 */
final class SimulatedMasks {

    static final int MAX_MASKS = 8;
    static final int MAX_POINTS = 16;
    static final String CONFIGURATION = "vsc0";

    private final Map<String, String> masks = new LinkedHashMap<>(); // token -> tr2:Masks XML
    private int next = 1;

    String options() {
        return "<tr2:GetMaskOptionsResponse><tr2:Options RectangleOnly=\"false\" SingleColorOnly=\"true\">"
                + "<tt:MaxMasks>" + MAX_MASKS + "</tt:MaxMasks><tt:MaxPoints>" + MAX_POINTS + "</tt:MaxPoints>"
                + "<tt:Types>Color</tt:Types><tt:Color><tt:ColorList X=\"16\" Y=\"128\" Z=\"128\" "
                + "Colorspace=\"http://www.onvif.org/ver10/colorspace/YCbCr\"/></tt:Color>"
                + "</tr2:Options></tr2:GetMaskOptionsResponse>";
    }

    synchronized String list() {
        return "<tr2:GetMasksResponse>" + String.join("", masks.values()) + "</tr2:GetMasksResponse>";
    }

    synchronized int count() {
        return masks.size();
    }

    /** The polygons held, in ONVIF coordinates, oldest first (tests). */
    synchronized List<List<double[]>> polygons() {
        List<List<double[]>> out = new ArrayList<>();
        for (String xml : masks.values()) {
            try {
                Element m = SimulatorXml.parse(("<x xmlns:tr2=\"" + MEDIA2 + "\" xmlns:tt=\"" + TT + "\">" + xml
                        + "</x>").getBytes(java.nio.charset.StandardCharsets.UTF_8)).getDocumentElement();
                List<double[]> poly = new ArrayList<>();
                for (Element p : SimulatorXml.descendants(m, "Point")) {
                    poly.add(new double[] {Double.parseDouble(p.getAttribute("x")),
                            Double.parseDouble(p.getAttribute("y"))});
                }
                out.add(poly);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    static final String MEDIA2 = "http://www.onvif.org/ver20/media/wsdl";
    static final String TT = "http://www.onvif.org/ver10/schema";

    /** {@code CreateMask}: the mask's token, or a fault for a mask the camera cannot hold. */
    synchronized SoapReply create(Element op) {
        Element mask = SimulatorXml.child(op, "Mask").orElse(null);
        if (mask == null) return SoapReply.invalidArgs("CreateMask without Mask");
        String configuration = SimulatorXml.text(mask, "ConfigurationToken");
        if (!configuration.equals(CONFIGURATION)) {
            return SoapReply.fault(400, "s:Sender", "ter:NoConfig", "no video source configuration " + configuration);
        }
        if (masks.size() >= MAX_MASKS) {
            return SoapReply.fault(400, "s:Receiver", "ter:MaxMasks", "at most " + MAX_MASKS + " masks");
        }
        List<Element> points = SimulatorXml.descendants(mask, "Point");
        if (points.size() < 3 || points.size() > MAX_POINTS) {
            return SoapReply.invalidArgs("a mask has 3 to " + MAX_POINTS + " points");
        }
        StringBuilder poly = new StringBuilder();
        for (Element p : points) {
            double x;
            double y;
            try {
                x = Double.parseDouble(p.getAttribute("x"));
                y = Double.parseDouble(p.getAttribute("y"));
            } catch (NumberFormatException e) {
                return SoapReply.invalidArgs("a point has numeric x and y");
            }
            if (!(x >= -1 && x <= 1 && y >= -1 && y <= 1)) {
                return SoapReply.invalidArgs("a point lies within -1..1");
            }
            poly.append("<tt:Point x=\"").append(x).append("\" y=\"").append(y).append("\"/>");
        }
        String token = "mask" + next++;
        masks.put(token, "<tr2:Masks token=\"" + token + "\"><tt:ConfigurationToken>" + CONFIGURATION
                + "</tt:ConfigurationToken><tt:Polygon>" + poly + "</tt:Polygon><tt:Type>Color</tt:Type>"
                + "<tt:Enabled>" + !"false".equals(SimulatorXml.text(mask, "Enabled")) + "</tt:Enabled></tr2:Masks>");
        return SoapReply.ok("<tr2:CreateMaskResponse><tr2:Token>" + token + "</tr2:Token></tr2:CreateMaskResponse>");
    }

    /** {@code DeleteMask}. */
    synchronized SoapReply delete(Element op) {
        String token = SimulatorXml.text(op, "Token");
        if (masks.remove(token) == null) {
            return SoapReply.fault(400, "s:Sender", "ter:NoMask", "no mask " + token);
        }
        return SoapReply.ok("<tr2:DeleteMaskResponse/>");
    }
}

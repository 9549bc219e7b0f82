package org.vigie.camera.onvif;

import static org.vigie.camera.onvif.OnvifNamespaces.TT;
import static org.vigie.camera.onvif.SecureXml.attribute;
import static org.vigie.camera.onvif.SecureXml.child;
import static org.vigie.camera.onvif.SecureXml.children;
import static org.vigie.camera.onvif.SecureXml.escape;
import static org.vigie.camera.onvif.SecureXml.text;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraDriverException.Kind;
import org.w3c.dom.Element;

/**
 * The privacy masks a camera burns into its own video (ONVIF Media2 service, ver20: {@code GetMaskOptions},
 * {@code GetMasks}, {@code CreateMask}, {@code DeleteMask}), so that even the recording is masked (issue 14).
 * Coordinates here are the picture-relative ones of Vigie (0..1 from the top-left corner); ONVIF's normalised
 * ones (-1..1, y upwards) are converted on the wire. Thread-safe (stateless apart from the shared
 * {@link SoapClient}).
 */
public final class OnvifMasks {

    static final String TR2 = "http://www.onvif.org/ver20/media/wsdl";

    private final SoapClient soap;
    private final URI service;

    OnvifMasks(SoapClient soap, URI service) {
        this.soap = soap;
        this.service = service;
    }

    /** What the camera can hold for one video source configuration. */
    public record Options(int maxMasks, int maxPoints, boolean rectangleOnly, List<String> types) {
    }

    /** A mask the camera holds: its token and polygon (picture-relative, 0..1). */
    public record CameraMask(String token, List<double[]> polygon) {
    }

    /** {@code GetMaskOptions} of a video source configuration. */
    public Options options(String configurationToken) throws CameraDriverException {
        Element r = soap.call(service, "<tr2:GetMaskOptions xmlns:tr2=\"" + TR2 + "\"><tr2:ConfigurationToken>"
                + escape(configurationToken) + "</tr2:ConfigurationToken></tr2:GetMaskOptions>");
        Element o = child(r, "Options").orElseThrow(() ->
                new CameraDriverException(Kind.MALFORMED, "GetMaskOptions without Options"));
        List<String> types = new ArrayList<>();
        for (Element t : children(o, "Types")) types.add(t.getTextContent().trim());
        return new Options(integer(text(o, "MaxMasks")), integer(text(o, "MaxPoints")),
                "true".equals(attribute(o, "RectangleOnly")), List.copyOf(types));
    }

    /** {@code GetMasks}: the masks of the configuration. */
    public List<CameraMask> masks(String configurationToken) throws CameraDriverException {
        Element r = soap.call(service, "<tr2:GetMasks xmlns:tr2=\"" + TR2 + "\"><tr2:ConfigurationToken>"
                + escape(configurationToken) + "</tr2:ConfigurationToken></tr2:GetMasks>");
        List<CameraMask> out = new ArrayList<>();
        for (Element m : children(r, "Masks")) {
            List<double[]> poly = new ArrayList<>();
            for (Element p : children(child(m, "Polygon").orElse(m), "Point")) {
                poly.add(new double[] {(number(attribute(p, "x")) + 1) / 2, (1 - number(attribute(p, "y"))) / 2});
            }
            out.add(new CameraMask(attribute(m, "token"), poly));
        }
        return out;
    }

    /** {@code CreateMask}: an opaque black polygon (points picture-relative, 0..1); the camera's token. */
    public String create(String configurationToken, List<double[]> polygon) throws CameraDriverException {
        StringBuilder pts = new StringBuilder();
        for (double[] p : polygon) {
            if (p.length != 2 || !(p[0] >= 0 && p[0] <= 1 && p[1] >= 0 && p[1] <= 1)) {
                throw new IllegalArgumentException("a mask point lies within 0..1 on both axes");
            }
            pts.append(String.format(Locale.ROOT, "<tt:Point x=\"%.6f\" y=\"%.6f\"/>", p[0] * 2 - 1, 1 - p[1] * 2));
        }
        Element r = soap.call(service, "<tr2:CreateMask xmlns:tr2=\"" + TR2 + "\" xmlns:tt=\"" + TT + "\"><tr2:Mask>"
                + "<tt:ConfigurationToken>" + escape(configurationToken) + "</tt:ConfigurationToken><tt:Polygon>" + pts
                + "</tt:Polygon><tt:Type>Color</tt:Type><tt:Color X=\"16\" Y=\"128\" Z=\"128\" "
                + "Colorspace=\"http://www.onvif.org/ver10/colorspace/YCbCr\"/><tt:Enabled>true</tt:Enabled>"
                + "</tr2:Mask></tr2:CreateMask>");
        String token = text(r, "Token");
        if (token.isEmpty()) throw new CameraDriverException(Kind.MALFORMED, "CreateMask without Token");
        return token;
    }

    /** {@code DeleteMask}. */
    public void delete(String token) throws CameraDriverException {
        soap.call(service, "<tr2:DeleteMask xmlns:tr2=\"" + TR2 + "\"><tr2:Token>" + escape(token)
                + "</tr2:Token></tr2:DeleteMask>");
    }

    private static int integer(String s) throws CameraDriverException {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new CameraDriverException(Kind.MALFORMED, "not an integer: " + s);
        }
    }

    private static double number(String s) throws CameraDriverException {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new CameraDriverException(Kind.MALFORMED, "not a number: " + s);
        }
    }
}

package org.vigie.camera.onvif;

import static org.vigie.camera.onvif.OnvifNamespaces.TPTZ;
import static org.vigie.camera.onvif.OnvifNamespaces.TT;
import static org.vigie.camera.onvif.SecureXml.attribute;
import static org.vigie.camera.onvif.SecureXml.child;
import static org.vigie.camera.onvif.SecureXml.children;
import static org.vigie.camera.onvif.SecureXml.escape;
import static org.vigie.camera.onvif.SecureXml.text;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraDriverException.Kind;
import org.vigie.camera.Preset;
import org.vigie.camera.PtzCapabilities;
import org.vigie.camera.PtzPosition;
import org.vigie.camera.PtzStatus;
import org.w3c.dom.Element;

/**
 * The ONVIF PTZ service (ver20) of one camera: continuous, absolute and relative moves in the generic spaces,
 * stop, status and presets. Every operation names the media profile whose PTZ configuration it steers.
 * Thread-safe (stateless apart from the shared {@link SoapClient}).
 */
public final class OnvifPtz {

    private final SoapClient soap;
    private final URI service;

    OnvifPtz(SoapClient soap, URI service) {
        this.soap = soap;
        this.service = service;
    }

    /** What the first PTZ node supports ({@code GetNodes}); {@link PtzCapabilities#NONE} if there is none. */
    public PtzCapabilities capabilities() throws CameraDriverException {
        Element r = soap.call(service, "<tptz:GetNodes xmlns:tptz=\"" + TPTZ + "\"/>");
        Optional<Element> node = child(r, "PTZNode");
        if (node.isEmpty()) {
            return PtzCapabilities.NONE;
        }
        Element spaces = child(node.get(), "SupportedPTZSpaces").orElse(node.get());
        List<String> uris = new ArrayList<>();
        boolean absolute = false;
        boolean relative = false;
        boolean continuous = false;
        for (Element space : allChildren(spaces)) {
            String name = space.getLocalName();
            String uri = text(space, "URI");
            if (!uri.isEmpty()) {
                uris.add(uri);
            }
            absolute |= name.startsWith("Absolute");
            relative |= name.startsWith("Relative");
            continuous |= name.startsWith("Continuous");
        }
        int maxPresets = intOr(text(node.get(), "MaximumNumberOfPresets"), 0);
        boolean home = Boolean.parseBoolean(text(node.get(), "HomeSupported"));
        return new PtzCapabilities(continuous, absolute, relative, maxPresets, home, uris);
    }

    private static List<Element> allChildren(Element e) {
        List<Element> out = new ArrayList<>();
        for (var n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            }
        }
        return out;
    }

    /** Starts moving at {@code velocity} (each in [-1, 1]); the camera stops after {@code timeout} if given. */
    public void continuousMove(String profileToken, PtzPosition velocity, Optional<Duration> timeout)
            throws CameraDriverException {
        soap.call(service, "<tptz:ContinuousMove xmlns:tptz=\"" + TPTZ + "\" xmlns:tt=\"" + TT + "\">"
                + profile(profileToken) + "<tptz:Velocity>" + vector(velocity) + "</tptz:Velocity>"
                + timeout.map(t -> "<tptz:Timeout>" + t + "</tptz:Timeout>").orElse("")
                + "</tptz:ContinuousMove>");
    }

    /** Stops pan/tilt and zoom. */
    public void stop(String profileToken) throws CameraDriverException {
        soap.call(service, "<tptz:Stop xmlns:tptz=\"" + TPTZ + "\">" + profile(profileToken)
                + "<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>");
    }

    /** Moves to an absolute position in the generic space (pan, tilt in [-1, 1], zoom in [0, 1]). */
    public void absoluteMove(String profileToken, PtzPosition position) throws CameraDriverException {
        soap.call(service, "<tptz:AbsoluteMove xmlns:tptz=\"" + TPTZ + "\" xmlns:tt=\"" + TT + "\">"
                + profile(profileToken) + "<tptz:Position>" + vector(position) + "</tptz:Position></tptz:AbsoluteMove>");
    }

    /** Moves by a translation in the generic space. */
    public void relativeMove(String profileToken, PtzPosition translation) throws CameraDriverException {
        soap.call(service, "<tptz:RelativeMove xmlns:tptz=\"" + TPTZ + "\" xmlns:tt=\"" + TT + "\">"
                + profile(profileToken) + "<tptz:Translation>" + vector(translation)
                + "</tptz:Translation></tptz:RelativeMove>");
    }

    /** The current position and whether the head moves. */
    public PtzStatus status(String profileToken) throws CameraDriverException {
        Element r = soap.call(service, "<tptz:GetStatus xmlns:tptz=\"" + TPTZ + "\">" + profile(profileToken)
                + "</tptz:GetStatus>");
        Element status = child(r, "PTZStatus").orElseThrow(() -> OnvifCameraDriver.malformed("no PTZStatus"));
        PtzPosition position = child(status, "Position").flatMap(OnvifPtz::position)
                .orElseThrow(() -> OnvifCameraDriver.malformed("PTZStatus without Position"));
        Optional<Element> move = child(status, "MoveStatus");
        boolean moving = move.map(m -> {
            String pt = text(m, "PanTilt");
            String z = text(m, "Zoom");
            String whole = m.getTextContent().trim();
            return pt.equalsIgnoreCase("MOVING") || z.equalsIgnoreCase("MOVING")
                    || (pt.isEmpty() && z.isEmpty() && whole.equalsIgnoreCase("MOVING"));
        }).orElse(false);
        return new PtzStatus(position, moving);
    }

    /** The stored presets. */
    public List<Preset> presets(String profileToken) throws CameraDriverException {
        Element r = soap.call(service, "<tptz:GetPresets xmlns:tptz=\"" + TPTZ + "\">" + profile(profileToken)
                + "</tptz:GetPresets>");
        List<Preset> out = new ArrayList<>();
        for (Element p : children(r, "Preset")) {
            out.add(new Preset(attribute(p, "token"), text(p, "Name"),
                    child(p, "PTZPosition").flatMap(OnvifPtz::position)));
        }
        return out;
    }

    public void gotoPreset(String profileToken, String presetToken) throws CameraDriverException {
        soap.call(service, "<tptz:GotoPreset xmlns:tptz=\"" + TPTZ + "\">" + profile(profileToken)
                + "<tptz:PresetToken>" + escape(presetToken) + "</tptz:PresetToken></tptz:GotoPreset>");
    }

    /** Stores the current position as a new preset named {@code name}; returns its token. */
    public String setPreset(String profileToken, String name) throws CameraDriverException {
        Element r = soap.call(service, "<tptz:SetPreset xmlns:tptz=\"" + TPTZ + "\">" + profile(profileToken)
                + "<tptz:PresetName>" + escape(name) + "</tptz:PresetName></tptz:SetPreset>");
        String token = text(r, "PresetToken");
        if (token.isEmpty()) {
            throw new CameraDriverException(Kind.MALFORMED, "SetPreset answered without PresetToken");
        }
        return token;
    }

    private static String profile(String token) {
        return "<tptz:ProfileToken>" + escape(token) + "</tptz:ProfileToken>";
    }

    private static String vector(PtzPosition p) {
        return "<tt:PanTilt x=\"" + num(p.pan()) + "\" y=\"" + num(p.tilt()) + "\"/><tt:Zoom x=\"" + num(p.zoom())
                + "\"/>";
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }

    static Optional<PtzPosition> position(Element vector) {
        Optional<Element> pt = child(vector, "PanTilt");
        Optional<Element> z = child(vector, "Zoom");
        if (pt.isEmpty() && z.isEmpty()) {
            return Optional.empty();
        }
        double pan = pt.map(e -> dbl(attribute(e, "x"))).orElse(0.0);
        double tilt = pt.map(e -> dbl(attribute(e, "y"))).orElse(0.0);
        double zoom = z.map(e -> dbl(attribute(e, "x"))).orElse(0.0);
        return Optional.of(new PtzPosition(pan, tilt, zoom));
    }

    private static double dbl(String s) {
        try {
            return s.isEmpty() ? 0.0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }

    private static int intOr(String s, int dflt) {
        try {
            return s.isEmpty() ? dflt : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

}

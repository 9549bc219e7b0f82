package org.vigie.simulator.onvif;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The PTZ head of one simulated camera, in the ONVIF generic spaces (pan, tilt in [-1, 1], zoom in [0, 1]). A
 * continuous move integrates its velocity over the injected clock at {@value #UNITS_PER_SECOND} unit/s for
 * velocity 1 until stopped or its timeout passes; absolute and relative moves are instantaneous.
 * Thread-safe: every method is synchronized (requests arrive on several event loops).
 */
final class SimulatedPtz {

    static final double UNITS_PER_SECOND = 0.5;

    /** A position or velocity. */
    record Vector(double pan, double tilt, double zoom) {
        Vector clamp() {
            return new Vector(Math.max(-1, Math.min(1, pan)), Math.max(-1, Math.min(1, tilt)),
                    Math.max(0, Math.min(1, zoom)));
        }

        String xml(String element) {
            return String.format(Locale.ROOT, "<%s><tt:PanTilt x=\"%.6f\" y=\"%.6f\" space=\"http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace\"/>"
                    + "<tt:Zoom x=\"%.6f\" space=\"http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace\"/></%s>",
                    element, pan, tilt, zoom, element);
        }
    }

    private record Preset(String name, Vector position) {
    }

    private final InstantSource clock;
    private Vector position = new Vector(0, 0, 0);
    private Vector velocity = new Vector(0, 0, 0);
    private Instant movingSince;
    private Instant movingUntil;
    private final Map<String, Preset> presets = new LinkedHashMap<>();
    private int nextPreset = 1;

    SimulatedPtz(InstantSource clock) {
        this.clock = clock;
    }

    synchronized Vector position() {
        settle(clock.instant());
        return position;
    }

    synchronized boolean moving() {
        settle(clock.instant());
        return movingSince != null;
    }

    synchronized void continuousMove(Vector v, Duration timeout) {
        Instant now = clock.instant();
        settle(now);
        velocity = v;
        movingSince = now;
        movingUntil = timeout == null ? null : now.plus(timeout);
    }

    synchronized void stop() {
        settle(clock.instant());
        movingSince = null;
        velocity = new Vector(0, 0, 0);
    }

    synchronized void absoluteMove(Vector target) {
        stop();
        position = target.clamp();
    }

    synchronized void relativeMove(Vector delta) {
        stop();
        position = new Vector(position.pan + delta.pan, position.tilt + delta.tilt, position.zoom + delta.zoom).clamp();
    }

    synchronized String setPreset(String name) {
        String token = "preset-" + nextPreset++;
        presets.put(token, new Preset(name, position()));
        return token;
    }

    /** False when the preset does not exist. */
    synchronized boolean gotoPreset(String token) {
        Preset p = presets.get(token);
        if (p == null) {
            return false;
        }
        absoluteMove(p.position);
        return true;
    }

    synchronized String presetsXml() {
        StringBuilder b = new StringBuilder();
        presets.forEach((token, p) -> b.append("<tptz:Preset token=\"").append(token).append("\"><tt:Name>")
                .append(SimulatorXml.escape(p.name)).append("</tt:Name>").append(p.position.xml("tt:PTZPosition"))
                .append("</tptz:Preset>"));
        return b.toString();
    }

    /** Applies the running continuous move up to {@code now}. */
    private void settle(Instant now) {
        if (movingSince == null) {
            return;
        }
        Instant end = movingUntil != null && movingUntil.isBefore(now) ? movingUntil : now;
        double seconds = Math.max(0, Duration.between(movingSince, end).toNanos() / 1e9);
        double k = seconds * UNITS_PER_SECOND;
        position = new Vector(position.pan + velocity.pan * k, position.tilt + velocity.tilt * k,
                position.zoom + velocity.zoom * k).clamp();
        movingSince = end;
        if (movingUntil != null && !movingUntil.isAfter(now)) {
            movingSince = null;
        }
    }
}

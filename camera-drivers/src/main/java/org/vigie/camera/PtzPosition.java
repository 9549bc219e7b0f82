package org.vigie.camera;

/**
 * A PTZ vector in the ONVIF generic spaces: a position (pan and tilt in [-1, 1], zoom in [0, 1]), a relative
 * translation (each in [-1, 1] or [-1, 1] for zoom) or a continuous velocity (each in [-1, 1]).
 */
public record PtzPosition(double pan, double tilt, double zoom) {

    public PtzPosition {
        if (!Double.isFinite(pan) || !Double.isFinite(tilt) || !Double.isFinite(zoom)) {
            throw new IllegalArgumentException("PTZ values must be finite: " + pan + "," + tilt + "," + zoom);
        }
    }
}

package org.vigie.camera;

import java.util.List;

/**
 * Which PTZ moves a camera's PTZ node supports (ONVIF {@code GetNodes}/{@code GetNode}). A fixed camera has
 * {@link #NONE}. The space lists hold the space URIs announced by the node, e.g.
 * {@code http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace}.
 */
public record PtzCapabilities(boolean continuousMove, boolean absoluteMove, boolean relativeMove, int maxPresets,
                              boolean homeSupported, List<String> spaces) {

    public static final PtzCapabilities NONE = new PtzCapabilities(false, false, false, 0, false, List.of());

    public PtzCapabilities {
        spaces = List.copyOf(spaces);
        if (maxPresets < 0) {
            throw new IllegalArgumentException("maxPresets < 0");
        }
    }

    public boolean presets() {
        return maxPresets > 0;
    }

    public boolean any() {
        return continuousMove || absoluteMove || relativeMove;
    }
}

package org.vigie.simulator.onvif;

import java.util.Objects;

/**
 * One camera the ONVIF simulator impersonates.
 *
 * @param id          the camera id, used in the service paths ({@code /onvif/<id>/device_service})
 * @param name        the display name, announced in the discovery scope {@code onvif://www.onvif.org/name/<name>}
 * @param rtspUrl     the RTSP URL of the main profile (1280x720), e.g. the RTSP simulator's URL for this camera
 * @param subRtspUrl  the RTSP URL of the sub profile (640x360); the main URL when the RTSP simulator serves one
 *                    stream per camera
 */
public record SimulatedCameraInfo(String id, String name, String rtspUrl, String subRtspUrl) {

    public SimulatedCameraInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rtspUrl, "rtspUrl");
        Objects.requireNonNull(subRtspUrl, "subRtspUrl");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("camera id is not URL-path safe: " + id);
        }
    }

    public SimulatedCameraInfo(String id, String name, String rtspUrl) {
        this(id, name, rtspUrl, rtspUrl);
    }
}

package org.vigie.camera;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a camera raised itself (motion, tampering...), as the server stores it for archive search.
 *
 * @param cameraId the server's camera id
 * @param utcTime  when the camera says it happened (ONVIF {@code UtcTime}), corrected by nothing
 * @param topic    the topic with namespace prefixes removed, e.g. {@code RuleEngine/CellMotionDetector/Motion}
 * @param type     the topic's family
 * @param active   the state the event reports: {@code true} when motion/tampering starts, {@code false} when
 *                 it ends; {@code true} for events that carry no boolean state
 * @param source   the source items as {@code name=value} pairs joined by ';' (e.g. {@code VideoSourceConfigurationToken=vs0}), or empty
 * @param rawData  the notification's {@code Message} element as received, for later inspection
 */
public record CameraEvent(String cameraId, Instant utcTime, String topic, Type type, boolean active, String source,
                          String rawData) {

    /** Event families the server indexes. */
    public enum Type { MOTION, TAMPER, OTHER }

    public CameraEvent {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(utcTime, "utcTime");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(rawData, "rawData");
    }
}

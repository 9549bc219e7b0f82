package org.vigie.camera.onvif;

import java.util.Locale;
import java.util.Set;
import org.vigie.camera.CameraEvent;

/**
 * Normalises ONVIF event topics and classifies them. A topic arrives as a prefixed path such as
 * {@code tns1:RuleEngine/CellMotionDetector/Motion}, where the prefix may be anything the camera bound to the
 * ONVIF topic namespace; the normalised form drops every segment's prefix: {@code RuleEngine/CellMotionDetector/Motion}.
 *
 * <p>Motion: {@code RuleEngine/CellMotionDetector/Motion}, {@code VideoSource/MotionAlarm},
 * {@code RuleEngine/MotionRegionDetector/Motion}. Tampering: {@code VideoSource/GlobalSceneChange/ImagingService},
 * {@code RuleEngine/TamperDetector/Tamper}, {@code VideoSource/GlobalSceneChange/AnalyticsService}. Topics are
 * compared case-insensitively (firmwares differ in case).
 */
public final class EventTopics {

    private static final Set<String> MOTION = Set.of(
            "ruleengine/cellmotiondetector/motion",
            "videosource/motionalarm",
            "ruleengine/motionregiondetector/motion");
    private static final Set<String> TAMPER = Set.of(
            "videosource/globalscenechange/imagingservice",
            "videosource/globalscenechange/analyticsservice",
            "ruleengine/tamperdetector/tamper");

    private EventTopics() {
    }

    /** The topic without namespace prefixes and surrounding blanks. */
    public static String normalise(String topic) {
        StringBuilder out = new StringBuilder();
        for (String segment : topic.trim().split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            int colon = segment.indexOf(':');
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(colon >= 0 ? segment.substring(colon + 1) : segment);
        }
        return out.toString();
    }

    public static CameraEvent.Type classify(String normalisedTopic) {
        String t = normalisedTopic.toLowerCase(Locale.ROOT);
        if (MOTION.contains(t)) {
            return CameraEvent.Type.MOTION;
        }
        if (TAMPER.contains(t)) {
            return CameraEvent.Type.TAMPER;
        }
        return CameraEvent.Type.OTHER;
    }
}

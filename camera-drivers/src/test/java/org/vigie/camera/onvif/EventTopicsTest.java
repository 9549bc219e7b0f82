package org.vigie.camera.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigie.camera.CameraEvent.Type;

class EventTopicsTest {

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource({
            "tns1:RuleEngine/CellMotionDetector/Motion, RuleEngine/CellMotionDetector/Motion, MOTION",
            "ns2:RuleEngine/ns2:CellMotionDetector/ns2:Motion, RuleEngine/CellMotionDetector/Motion, MOTION",
            "tns1:VideoSource/MotionAlarm, VideoSource/MotionAlarm, MOTION",
            "'  tns1:videosource/motionalarm  ', videosource/motionalarm, MOTION",
            "tns1:RuleEngine/MotionRegionDetector/Motion, RuleEngine/MotionRegionDetector/Motion, MOTION",
            "tns1:VideoSource/GlobalSceneChange/ImagingService, VideoSource/GlobalSceneChange/ImagingService, TAMPER",
            "tns1:RuleEngine/TamperDetector/Tamper, RuleEngine/TamperDetector/Tamper, TAMPER",
            "tns1:Device/Trigger/DigitalInput, Device/Trigger/DigitalInput, OTHER",
            "tnsaxis:CameraApplicationPlatform/VMD/Camera1Profile1, CameraApplicationPlatform/VMD/Camera1Profile1, OTHER"})
    void normalisesAndClassifies(String raw, String normalised, Type type) {
        assertThat(EventTopics.normalise(raw)).isEqualTo(normalised);
        assertThat(EventTopics.classify(normalised)).isEqualTo(type);
    }
}

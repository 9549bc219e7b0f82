package org.vigie.playback.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RtspTargetTest {

    @Test
    void namesLiveMainAndSubStreams() {
        RtspTarget t = RtspTarget.parse("rtsp://127.0.0.1:8554/live/cam-1");
        assertThat(t.archive()).isFalse();
        assertThat(t.key().toString()).isEqualTo("cam-1/main");
        assertThat(RtspTarget.parse("rtsp://h/live/cam-1/sub/trackID=0").stream()).isEqualTo("sub");
    }

    @Test
    void archiveUrlsCarryStartAndScaleWhereverTheClientPutTheTrack() {
        Instant start = Instant.parse("2026-11-25T22:15:00Z");
        for (String uri : new String[] {"rtsp://h:1/archive/cam-1?start=20261125T221500Z&scale=2",
                "rtsp://h:1/archive/cam-1?start=2026-11-25T22:15:00Z&scale=2/trackID=0",
                "rtsp://h:1/archive/cam-1/trackID=0?start=20261125T221500Z&scale=2"}) {
            RtspTarget t = RtspTarget.parse(uri);
            assertThat(t.archive()).as(uri).isTrue();
            assertThat(t.cameraId()).isEqualTo("cam-1");
            assertThat(t.start()).as(uri).isEqualTo(start);
            assertThat(t.scale()).as(uri).isEqualTo(2.0);
        }
    }

    @Test
    void refusesOtherPathsUnsafeNamesAndBadScales() {
        assertThatThrownBy(() -> RtspTarget.parse("rtsp://h/vod/cam-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtspTarget.parse("rtsp://h/live/..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtspTarget.parse("rtsp://h/live/cam-1/third")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtspTarget.parse("rtsp://h/archive/cam-1?scale=-1")).hasMessageContaining("reverse");
        assertThatThrownBy(() -> RtspTarget.parse("rtsp://h/archive/cam-1?scale=32")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtspTarget.parse("rtsp://h/live/cam-1?start=20261125T221500Z"))
                .hasMessageContaining("archive");
    }
}

package org.vigie.gst.ingest;

import org.vigie.ingest.ArrivalAnchoredWallClock;
import org.vigie.ingest.IngestCounters;
import org.vigie.ingest.IngestError;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.IngestSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.vigie.media.StreamKey;

/** Extra rtspsrc properties of {@link IngestOptions}: validated, applied last on a real rtspsrc, unknown refused. */
class SourcePropertiesTest {

    static final URI URL = URI.create("rtsp://127.0.0.1:9/none");

    @Test
    void optionsRefuseNamesThatAreNotTuning() {
        IngestOptions o = IngestOptions.of(URL);
        assertThatThrownBy(() -> o.withSourceProperty("location", "rtsp://elsewhere/"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withSourceProperty("user-pw", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withSourceProperty("Bad Name", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(o.withSourceProperty("latency", "1").withSourceProperty("latency", "2").sourceProperties())
                .containsExactlyEntriesOf(java.util.Map.of("latency", "2"));
    }

    @Test
    void propertiesAreSetLastOnRtspsrc() {
        IngestOptions o = IngestOptions.of(URL).withSourceProperty("latency", "37")
                .withSourceProperty("buffer-mode", "none");
        RtspIngestPipeline p = pipeline(o);
        try {
            assertThat(((Number) p.sourceProperty("latency")).intValue()).as("overrides IngestOptions.latency")
                    .isEqualTo(37);
            // An enum set by its nick; gst1-java-core reads enums back as their number (0 = none; default 1 = slave).
            assertThat(((Number) p.sourceProperty("buffer-mode")).intValue()).isZero();
        } finally {
            p.stop();
        }
    }

    @Test
    void anUnknownPropertyIsRefusedAtConstruction() {
        IngestOptions o = IngestOptions.of(URL).withSourceProperty("no-such-property", "1");
        assertThatThrownBy(() -> pipeline(o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-property");
    }

    private static RtspIngestPipeline pipeline(IngestOptions o) {
        return new RtspIngestPipeline(StreamKey.main("cam1"), 1, o, new RecordingSink(),
                new IngestSession.Events() {
                    @Override
                    public void onFirstFrame(long sessionId) {
                    }

                    @Override
                    public void onFailure(long sessionId, IngestError error) {
                    }
                }, InstantSource.system(), new ArrivalAnchoredWallClock(),
                new IngestCounters(InstantSource.system(), 5));
    }
}

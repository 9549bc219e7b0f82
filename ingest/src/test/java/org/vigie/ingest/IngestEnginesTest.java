package org.vigie.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.rtsp.client.RtspClient;
import org.vigie.rtsp.client.RtspClientException;

/**
 * The engine choice of one camera stream. GStreamer's engine is a Mockito mock here (the thing under test is the
 * choice, not GStreamer); the Java sessions are real, on a real client, never started.
 */
class IngestEnginesTest {

    private final RtspClient client = RtspClient.create(1, InstantSource.system());
    private final IngestEngine gstreamer = mock(IngestEngine.class);
    private final IngestSession gstSession = mock(IngestSession.class);
    private final StreamKey key = StreamKey.main("cam");
    private final FrameSink sink = mock(FrameSink.class);
    private final IngestSession.Events events = mock(IngestSession.Events.class);
    private final IngestCounters counters = new IngestCounters(InstantSource.system(), 10);

    @AfterEach
    void close() {
        client.close();
    }

    private IngestSession open(IngestEngines e, IngestOptions o) {
        when(gstreamer.open(any(), anyLong(), any(), any(), any(), any(), any(), any())).thenReturn(gstSession);
        return e.open(key, 1, o, sink, events, InstantSource.system(), new ArrivalAnchoredWallClock(),
                counters);
    }

    @Test
    void autoTakesTheJavaClientForTcpAndRtspsAndGstreamerForUdp() {
        IngestEngines e = new IngestEngines(IngestEngines.Choice.AUTO, () -> client,
                IngestEngines.tls(null, false), gstreamer);
        assertThat(open(e, IngestOptions.of(URI.create("rtsp://127.0.0.1:9/a")))).isInstanceOf(JavaIngestSession.class);
        assertThat(e.describe()).isEqualTo("java (auto)");
        assertThat(open(e, IngestOptions.of(URI.create("rtsps://127.0.0.1:9/a")))).isInstanceOf(JavaIngestSession.class);
        assertThat(open(e, IngestOptions.of(URI.create("rtsp://127.0.0.1:9/a")).withTransport(Transport.UDP)))
                .isSameAs(gstSession);
        assertThat(e.describe()).isEqualTo("gstreamer (auto: RTP over UDP)");
    }

    @Test
    void autoFallsBackToGstreamerOnceTheJavaClientCannotRecordTheCamera() {
        IngestEngines e = new IngestEngines(IngestEngines.Choice.AUTO, () -> client,
                IngestEngines.tls(null, false), gstreamer);
        IngestOptions o = IngestOptions.of(URI.create("rtsp://127.0.0.1:9/a"));
        assertThat(open(e, o)).isInstanceOf(JavaIngestSession.class);
        // a network failure is not a reason to leave the Java client
        invokeFailure(e, new RtspClientException(RtspClientException.Kind.CONNECTION_REFUSED, "refused"));
        assertThat(open(e, o)).isInstanceOf(JavaIngestSession.class);
        invokeFailure(e, new RtspClientException(RtspClientException.Kind.UNSUPPORTED, "the camera sends MP4V-ES"));
        assertThat(e.describe()).isEqualTo("gstreamer (auto: the java client failed: the camera sends MP4V-ES)");
        assertThat(open(e, o)).isSameAs(gstSession);
    }

    @Test
    void anExplicitEngineNeverFallsBack() {
        IngestEngines java = new IngestEngines(IngestEngines.Choice.JAVA, () -> client,
                IngestEngines.tls(null, false), gstreamer);
        IngestOptions o = IngestOptions.of(URI.create("rtsp://127.0.0.1:9/a"));
        invokeFailure(java, new RtspClientException(RtspClientException.Kind.UNSUPPORTED, "MP4V-ES"));
        assertThat(open(java, o)).isInstanceOf(JavaIngestSession.class);
        assertThat(java.describe()).isEqualTo("java");
        IngestEngines gst = new IngestEngines(IngestEngines.Choice.GSTREAMER, () -> {
            throw new AssertionError("no Java client for the gstreamer engine");
        }, IngestEngines.tls(null, false), gstreamer);
        assertThat(open(gst, o)).isSameAs(gstSession);
        verify(events, never()).onFailure(anyLong(), any());
    }

    @Test
    void aCameraRefusingTcpIsPulledByGstreamerOverUdpButAnRtspsOneStaysOnTcp() {
        RtspClientException refused = new RtspClientException(RtspClientException.Kind.UNSUPPORTED,
                "the camera refuses RTP over TCP (461 Unsupported Transport)", 461, null);
        IngestEngines e = new IngestEngines(IngestEngines.Choice.AUTO, () -> client,
                IngestEngines.tls(null, false), gstreamer);
        IngestOptions o = IngestOptions.of(URI.create("rtsp://127.0.0.1:9/a"));
        assertThat(open(e, o)).isInstanceOf(JavaIngestSession.class);
        e.onJavaFailure(key, o.url(), refused);
        assertThat(open(e, o)).isSameAs(gstSession);
        org.mockito.ArgumentCaptor<IngestOptions> used = org.mockito.ArgumentCaptor.forClass(IngestOptions.class);
        verify(gstreamer).open(any(), anyLong(), used.capture(), any(), any(), any(), any(), any());
        assertThat(used.getValue().transport()).isEqualTo(Transport.UDP);
        assertThat(e.describe()).isEqualTo("gstreamer over UDP (auto: the java client failed: the camera refuses RTP "
                + "over TCP (461 Unsupported Transport))");

        IngestEngines tls = new IngestEngines(IngestEngines.Choice.AUTO, () -> client,
                IngestEngines.tls(null, false), gstreamer);
        IngestOptions secure = IngestOptions.of(URI.create("rtsps://127.0.0.1:9/a"));
        tls.onJavaFailure(key, secure.url(), refused);
        org.mockito.Mockito.clearInvocations(gstreamer);
        assertThat(open(tls, secure)).isSameAs(gstSession);
        verify(gstreamer).open(any(), anyLong(), used.capture(), any(), any(), any(), any(), any());
        assertThat(used.getValue().transport()).as("RTP over UDP beside TLS would be in clear").isEqualTo(Transport.TCP);
    }

    private static void invokeFailure(IngestEngines e, RtspClientException failure) {
        e.onJavaFailure(StreamKey.main("cam"), URI.create("rtsp://127.0.0.1:9/a"), failure);
    }
}

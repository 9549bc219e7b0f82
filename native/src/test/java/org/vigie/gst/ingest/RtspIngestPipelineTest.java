package org.vigie.gst.ingest;

import org.vigie.ingest.ArrivalAnchoredWallClock;
import org.vigie.ingest.IngestCounters;
import org.vigie.ingest.IngestError;
import org.vigie.ingest.IngestOptions;
import org.vigie.ingest.IngestSession;
import org.vigie.ingest.Transport;
import org.vigie.ingest.WallClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;

/** Real GStreamer ingest from gst-rtsp-server.py on 127.0.0.1, over TCP and over UDP. */
class RtspIngestPipelineTest {

    static RtspTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = RtspTestServer.start(0, 2);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void ingestsH264OverTcpForTenSeconds() throws Exception {
        checkIngest(Transport.TCP, 1);
    }

    @Test
    void ingestsH264OverUdp() throws Exception {
        checkIngest(Transport.UDP, 2);
    }

    private void checkIngest(Transport transport, int camera) throws Exception {
        RecordingSink sink = new RecordingSink();
        NtpWatcher ntpWatcher = new NtpWatcher();
        BlockingQueue<IngestError> failures = new ArrayBlockingQueue<>(4);
        IngestCounters counters = new IngestCounters(InstantSource.system(), 5);
        IngestOptions options = IngestOptions.of(URI.create(server.url(camera))).withTransport(transport);
        RtspIngestPipeline p = new RtspIngestPipeline(StreamKey.main("cam" + camera), 42, options, sink,
                new IngestSession.Events() {
                    @Override
                    public void onFirstFrame(long sessionId) {
                    }

                    @Override
                    public void onFailure(long sessionId, IngestError error) {
                        failures.offer(error);
                    }
                }, InstantSource.system(), ntpWatcher, counters);
        p.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (sink.frames.isEmpty() && System.nanoTime() < deadline) {
            assertThat(failures.poll(50, TimeUnit.MILLISECONDS)).isNull();
        }
        assertThat(sink.frames).as("a first frame within 15 s").isNotEmpty();
        // ten seconds of media time, however long a loaded machine takes to deliver them (no real-time window)
        long firstMedia = sink.frames.get(0).mediaTime90k();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lastMedia(sink) - firstMedia < 10 * 90_000L && System.nanoTime() < deadline) {
            assertThat(failures.poll(50, TimeUnit.MILLISECONDS)).isNull();
        }
        assertThat(failures).isEmpty();
        p.stop();
        List<Frame> frames = List.copyOf(sink.frames);
        int afterStop = frames.size();
        long span = frames.get(frames.size() - 1).mediaTime90k() - firstMedia;
        assertThat(span).as("media time received, 90 kHz ticks").isGreaterThanOrEqualTo(10 * 90_000L);

        // the source is 25 fps: one frame per 3,600 ticks, none lost, none duplicated. rtspsrc's jitter buffer
        // re-times frames against their arrival (clock skew), which a loaded machine bends by a few percent
        // (25.6 measured at load 24): 24-26 still tells a lost or doubled frame in ten from none
        double fps = (frames.size() - 1) / (span / 90_000.0);
        assertThat(fps).as("frames per second of media time").isBetween(24.0, 26.0);
        Frame first = frames.get(0);
        assertThat(first.keyFrame()).isTrue();
        assertThat(first.sessionId()).isEqualTo(42);
        assertThat(first.format().codec()).isEqualTo(Codec.H264);
        assertThat(first.format().width()).isEqualTo(320);
        assertThat(first.format().height()).isEqualTo(240);
        byte[] avcC = first.format().decoderConfig();
        assertThat(avcC[0]).as("avcC configurationVersion").isEqualTo((byte) 1);
        assertThat(avcC[5] & 0x1f).as("avcC carries one SPS").isEqualTo(1);
        assertThat(first.format().rfc6381()).startsWith("avc1.");

        long keyFrames = frames.stream().filter(Frame::keyFrame).count();
        assertThat(keyFrames).as("a key frame every 40-50 frames over %d frames", frames.size())
                .isBetween((long) (frames.size() - 1) / 50, (long) frames.size() / 40 + 1);
        int previousKeyIndex = 0;
        for (int i = 1; i < frames.size(); i++) {
            Frame f = frames.get(i);
            assertThat(f.mediaTime90k()).isGreaterThanOrEqualTo(frames.get(i - 1).mediaTime90k());
            assertThat(f.wallMicros()).isGreaterThan(frames.get(i - 1).wallMicros());
            assertThat(f.format()).isSameAs(first.format());
            if (f.keyFrame()) {
                // counted in frames, not in (re-timed) media time: x264enc's key-int-max=50, a scene cut may come
                // sooner
                assertThat(i - previousKeyIndex).as("frames from the key frame at %d to the one at %d",
                        previousKeyIndex, i).isBetween(40, 50);
                previousKeyIndex = i;
            }
            assertAvcc(f.data());
        }
        assertThat(counters.frames()).isEqualTo(frames.size());
        assertThat(sink.sessionEnds).containsExactly(42L);
        // RTCP sender reports carry the server's realtime clock (same machine): the reference timestamp meta
        // must appear within the first seconds and agree with arrival time (within 2 s: frames can wait that long
        // on a loaded machine; a wrong clock or epoch is off by years).
        assertThat(ntpWatcher.withNtp).as("frames with an RTCP NTP reference").isGreaterThan(frames.size() / 2);
        assertThat(ntpWatcher.maxSkewMicros).as("|ntp - arrival|").isLessThan(2_000_000L);
        assertThat(p.ntpFrames()).isEqualTo(ntpWatcher.withNtp);
        Thread.sleep(200);
        assertThat(sink.frames).as("nothing after stop()").hasSize(afterStop);
    }

    /** Default wall clock, also recording the NTP references it is given (streaming thread only). */
    static final class NtpWatcher implements WallClock {
        final ArrivalAnchoredWallClock delegate = new ArrivalAnchoredWallClock();
        volatile long withNtp;
        volatile long maxSkewMicros;

        @Override
        public long toWallMicros(long mediaTime90k, long arrivalMicros, long ntpMicros) {
            if (ntpMicros != NO_NTP) {
                withNtp++;
                maxSkewMicros = Math.max(maxSkewMicros, Math.abs(ntpMicros - arrivalMicros));
            }
            return delegate.toWallMicros(mediaTime90k, arrivalMicros, ntpMicros);
        }
    }

    private static long lastMedia(RecordingSink sink) {
        List<Frame> f = sink.frames;
        return f.get(f.size() - 1).mediaTime90k();
    }

    /** Each NAL unit prefixed by a 4-byte length that exactly tiles the access unit (no Annex B). */
    static void assertAvcc(byte[] au) {
        int pos = 0;
        while (pos < au.length) {
            assertThat(au.length - pos).isGreaterThanOrEqualTo(5);
            int len = ((au[pos] & 0xff) << 24) | ((au[pos + 1] & 0xff) << 16) | ((au[pos + 2] & 0xff) << 8)
                    | (au[pos + 3] & 0xff);
            assertThat(len).isPositive();
            pos += 4 + len;
        }
        assertThat(pos).isEqualTo(au.length);
    }
}

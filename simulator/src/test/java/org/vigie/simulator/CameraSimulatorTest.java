package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.net.URI;
import java.nio.ByteBuffer;
import io.netty.buffer.Unpooled;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.vigie.media.NtpTime;
import org.vigie.rtsp.rtcp.RtcpPacket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vigie.testing.RtspTestClient;
import org.vigie.testing.Ffprobe;

/** The simulator against real clients: ffprobe, GStreamer's rtspsrc and a raw socket RTSP client. */
class CameraSimulatorTest {

    @Test
    void ffprobeReadsACameraOverTcp() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 2, TestClips.options(ClipPreset.SMALL_240P))) {
            Ffprobe.Result r = Ffprobe.rtsp("tcp", sim.urls().get(1).toString());
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("codec_name=h264", "width=320", "height=240", "r_frame_rate=25/1");
        }
    }

    @Test
    void ffprobeReadsACameraOverUdp() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 2, TestClips.options(ClipPreset.SMALL_240P))) {
            Ffprobe.Result r = Ffprobe.rtsp("udp", sim.urls().get(0).toString());
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("codec_name=h264", "width=320", "height=240", "r_frame_rate=25/1");
        }
    }

    @Test
    void gstreamerRtspsrcDepayloadsAndParsesFiftyFrames() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 1, TestClips.options(ClipPreset.SMALL_240P))) {
            Ffprobe.Result r = Ffprobe.run(20, List.of("gst-launch-1.0", "-q",
                    "rtspsrc", "location=" + sim.urls().get(0), "protocols=tcp", "latency=0", "!",
                    "rtph264depay", "!", "h264parse", "!", "video/x-h264,width=320,height=240", "!",
                    "identity", "eos-after=50", "!", "fakesink"));
            assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        }
    }

    @Test
    void digestAuthenticationLetsTheRightCredentialsPlayAndAnswers401ToWrongOnes() throws Exception {
        SimulatorOptions options = TestClips.options(ClipPreset.SMALL_240P).withCredentials("admin", "pa55");
        try (CameraSimulator sim = CameraSimulator.start(0, 1, options)) {
            String id = sim.cameraIds().get(0);
            Ffprobe.Result ok = Ffprobe.rtsp("tcp", sim.urlWithCredentials(id).toString());
            assertThat(ok.exitCode()).as(ok.stderr()).isZero();
            assertThat(ok.stdout()).contains("codec_name=h264");

            String wrong = "rtsp://admin:nope@127.0.0.1:" + sim.port() + "/" + id;
            Ffprobe.Result denied = Ffprobe.rtsp("tcp", wrong);
            assertThat(denied.exitCode()).isNotZero();
            assertThat(denied.stderr()).contains("401");

            try (RtspTestClient raw = new RtspTestClient(sim.url(id).getPort())) {
                assertThat(raw.request("OPTIONS", sim.url(id).toString()).status()).isEqualTo(200);
                RtspTestClient.Reply r = raw.request("DESCRIBE", sim.url(id).toString());
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).startsWith("Digest ").contains("realm=", "nonce=");
            }
        }
    }

    @Test
    void describeAnswersAnSdpWithTheClipParameters() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 1, TestClips.options(ClipPreset.SMALL_240P));
             RtspTestClient raw = new RtspTestClient(sim.urls().get(0).getPort())) {
            RtspTestClient.Reply r = raw.request("DESCRIBE", sim.urls().get(0).toString());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/sdp");
            assertThat(r.header("Content-Base")).isEqualTo(sim.urls().get(0) + "/");
            assertThat(r.body()).contains("m=video 0 RTP/AVP 96\r\n", "a=rtpmap:96 H264/90000\r\n",
                    "a=fmtp:96 packetization-mode=1;profile-level-id=" + sim.clip().profileLevelId()
                            + ";sprop-parameter-sets=" + sim.clip().spropParameterSets() + "\r\n",
                    "a=control:trackID=0\r\n", "a=framerate:25\r\n");
            assertThat(raw.request("DESCRIBE", "rtsp://127.0.0.1:" + sim.port() + "/cam-999").status())
                    .isEqualTo(404);
        }
    }

    @Test
    void rtpStreamStartsOnAnIdrAndRunsContinuouslyAcrossLoopSeams() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 1, TestClips.options(TestClips.TINY));
             RtspTestClient raw = new RtspTestClient(sim.urls().get(0).getPort())) {
            RtspTestClient.Reply play = raw.playTcp(sim.urls().get(0).toString());
            assertThat(play.status()).isEqualTo(200);
            String rtpInfo = play.header("RTP-Info");
            int firstSeq = Integer.parseInt(rtpInfo.replaceAll(".*;seq=(\\d+).*", "$1"));
            long firstRtpTime = Long.parseLong(rtpInfo.replaceAll(".*;rtptime=(\\d+).*", "$1"));

            H264Clip clip = sim.clip();
            RtpReader reader = new RtpReader(raw);
            List<byte[]> first = reader.nextAccessUnit();
            assertThat(reader.firstSequence).isEqualTo(firstSeq);
            assertThat(reader.lastTimestamp).isEqualTo(firstRtpTime);
            int start = indexOf(clip, first);
            assertThat(clip.accessUnit(start).idr()).isTrue();
            long previousTs = reader.lastTimestamp;
            for (int i = 1; i < 3 * clip.size(); i++) { // three loops of the 10-frame clip
                List<byte[]> au = reader.nextAccessUnit();
                assertThat(au).as("AU %d", i).containsExactlyElementsOf(
                        clip.accessUnit((start + i) % clip.size()).nalUnits());
                assertThat((reader.lastTimestamp - previousTs) & 0xFFFFFFFFL).isEqualTo(3600);
                previousTs = reader.lastTimestamp;
            }
            assertThat(reader.sequenceGaps).isZero();
        }
    }

    @Test
    void senderReportCarriesTheInjectedWallClockAndTheRtpTimeOfTheFrame() throws Exception {
        Clock future = Clock.offset(Clock.systemUTC(), Duration.ofDays(1000));
        SimulatorOptions options = TestClips.options(TestClips.TINY).withClock(future)
                .withSenderReportInterval(Duration.ofMillis(400));
        try (CameraSimulator sim = CameraSimulator.start(0, 1, options);
             RtspTestClient raw = new RtspTestClient(sim.urls().get(0).getPort())) {
            assertThat(raw.playTcp(sim.urls().get(0).toString()).status()).isEqualTo(200);
            RtpReader reader = new RtpReader(raw);
            int reports = 0;
            while (reports < 2) {
                RtspTestClient.RtpPacket f = raw.readInterleaved();
                if (f.channel() == 0) {
                    reader.accept(f.data());
                    continue;
                }
                assertThat(f.channel()).isEqualTo(1);
                Instant received = future.instant();
                ByteBuffer sr = ByteBuffer.wrap(f.data());
                assertThat(sr.get(1) & 0xFF).isEqualTo(200);
                assertThat(sr.getInt(4)).isEqualTo(reader.ssrc);
                Instant ntp = Instant.EPOCH.plus(NtpTime.toMicros(sr.getLong(8)), ChronoUnit.MICROS);
                assertThat(Duration.between(ntp, received).abs()).isLessThan(Duration.ofMillis(500));
                assertThat(Integer.toUnsignedLong(sr.getInt(16))).isEqualTo(reader.lastTimestamp);
                assertThat(Integer.toUnsignedLong(sr.getInt(20))).isEqualTo(reader.packets);
                assertThat(Integer.toUnsignedLong(sr.getInt(24))).isEqualTo(reader.payloadOctets);
                assertThat(RtcpPacket.parse(Unpooled.wrappedBuffer(f.data()), 0, f.data().length).types())
                        .containsExactly(200, 202);
                reports++;
            }
        }
    }

    @Test
    void stoppedCameraClosesItsSessionsAnswers404AndComesBack() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 2, TestClips.options(TestClips.TINY))) {
            URI cam1 = sim.urls().get(0);
            URI cam2 = sim.urls().get(1);
            try (RtspTestClient viewer1 = new RtspTestClient(cam1.getPort()); RtspTestClient viewer2 = new RtspTestClient(cam2.getPort())) {
                assertThat(viewer1.playTcp(cam1.toString()).status()).isEqualTo(200);
                assertThat(viewer2.playTcp(cam2.toString()).status()).isEqualTo(200);
                viewer1.readPacket();

                sim.stopCamera("cam-001");

                assertThat(viewer1.closedByServer()).isTrue();
                assertThat(sim.stats("cam-001").sessions()).isZero();
                try (RtspTestClient again = new RtspTestClient(cam1.getPort())) {
                    assertThat(again.request("DESCRIBE", cam1.toString()).status()).isEqualTo(404);
                }
                // the other camera is untouched
                assertThat(new RtpReader(viewer2).nextAccessUnit()).isNotEmpty();

                sim.startCamera("cam-001");
                try (RtspTestClient again = new RtspTestClient(cam1.getPort())) {
                    assertThat(again.playTcp(cam1.toString()).status()).isEqualTo(200);
                    assertThat(new RtpReader(again).nextAccessUnit()).isNotEmpty();
                }
            }
        }
    }

    @Test
    void aClientThatStopsReadingLosesFramesWithoutSlowingTheOthers() throws Exception {
        SimulatorOptions options = TestClips.options(ClipPreset.HD_720P)
                .withWriteBufferHighWaterMark(256 * 1024).withTcpSendBuffer(32 * 1024);
        try (CameraSimulator sim = CameraSimulator.start(0, 1, options)) {
            URI cam = sim.urls().get(0);
            try (RtspTestClient stalled = new RtspTestClient(cam.getPort(), 4096);
                 RtspTestClient healthy = new RtspTestClient(cam.getPort())) {
                assertThat(stalled.playTcp(cam.toString()).status()).isEqualTo(200);
                assertThat(healthy.playTcp(cam.toString()).status()).isEqualTo(200);
                RtpReader reader = new RtpReader(healthy);
                reader.nextAccessUnit();
                CameraStats stats = sim.stats(cam.getPath().substring(1));
                // the healthy client reads on, access unit after access unit, until the stalled one has lost frames
                // (counted, not timed: the machine may be slow) and then 50 more
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int frames = 0;
                int afterDrop = 0;
                while (afterDrop < 50 && System.nanoTime() < deadline) {
                    long previousTs = reader.lastTimestamp;
                    reader.nextAccessUnit();
                    frames++;
                    assertThat((reader.lastTimestamp - previousTs) & 0xFFFFFFFFL)
                            .as("media time of the healthy client's access unit %d, 90 kHz ticks", frames).isEqualTo(3600);
                    if (sim.stats(cam.getPath().substring(1)).framesDropped() > 0) {
                        afterDrop++;
                    }
                }
                assertThat(afterDrop).as("access units the healthy client read after the stalled one lost frames")
                        .isEqualTo(50);
                assertThat(reader.sequenceGaps).as("RTP packets the healthy client missed").isZero();
                stats = sim.stats(cam.getPath().substring(1));
                assertThat(stats.framesDropped()).isGreaterThan(0);
                assertThat(stats.playingSessions()).isEqualTo(2);
            }
        }
    }

    @Test
    void aWriteBufferSmallerThanTwoKeyFramesIsRefusedAtStart() {
        SimulatorOptions options = TestClips.options(ClipPreset.HD_720P).withWriteBufferHighWaterMark(64 * 1024);
        assertThatThrownBy(() -> CameraSimulator.start(0, 1, options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largest access unit");
    }

    @Test
    void pauseStopsTheFramesAndPlayResumesAtAnIdrWithContinuousSequenceNumbers() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 1, TestClips.options(TestClips.TINY));
             RtspTestClient raw = new RtspTestClient(sim.urls().get(0).getPort())) {
            String url = sim.urls().get(0).toString();
            assertThat(raw.playTcp(sim.urls().get(0).toString()).status()).isEqualTo(200);
            RtpReader reader = new RtpReader(raw);
            for (int i = 0; i < 5; i++) {
                reader.nextAccessUnit();
            }
            assertThat(raw.request("PAUSE", url).status()).isEqualTo(200); // skips frames queued before it
            // a frame the pacer emitted while PAUSE was being handled may still follow the answer; then silence
            raw.socket().setSoTimeout(300);
            int late = 0;
            try {
                while (late < 100) {
                    raw.readPacket();
                    late++;
                }
            } catch (java.net.SocketTimeoutException expected) {
                // the stream stopped
            }
            assertThat(late).as("RTP packets after PAUSE").isLessThan(10);
            raw.socket().setSoTimeout(5000);

            RtspTestClient.Reply play = raw.request("PLAY", url);
            assertThat(play.status()).isEqualTo(200);
            int resumeSeq = Integer.parseInt(play.header("RTP-Info").replaceAll(".*;seq=(\\d+).*", "$1"));
            RtpReader resumed = new RtpReader(raw);
            List<byte[]> first = resumed.nextAccessUnit();
            assertThat(resumed.firstSequence).isEqualTo(resumeSeq);
            assertThat(sim.clip().accessUnit(indexOf(sim.clip(), first)).idr()).isTrue();
            assertThat(resumed.sequenceGaps).isZero();
        }
    }

    @Test
    void teardownEndsTheSessionAndUnknownSessionsGet454() throws Exception {
        try (CameraSimulator sim = CameraSimulator.start(0, 1, TestClips.options(TestClips.TINY));
             RtspTestClient raw = new RtspTestClient(sim.urls().get(0).getPort())) {
            String url = sim.urls().get(0).toString();
            assertThat(raw.playTcp(sim.urls().get(0).toString()).status()).isEqualTo(200);
            assertThat(raw.request("GET_PARAMETER", url).status()).isEqualTo(200);
            assertThat(raw.request("TEARDOWN", url).status()).isEqualTo(200);
            assertThat(sim.stats("cam-001").sessions()).isZero();
            assertThat(raw.request("PLAY", url).status()).isEqualTo(454);
        }
    }

    private static int indexOf(H264Clip clip, List<byte[]> nals) {
        for (int i = 0; i < clip.size(); i++) {
            List<byte[]> candidate = clip.accessUnit(i).nalUnits();
            if (candidate.size() == nals.size()) {
                boolean same = true;
                for (int k = 0; k < nals.size() && same; k++) {
                    same = java.util.Arrays.equals(candidate.get(k), nals.get(k));
                }
                if (same) {
                    return i;
                }
            }
        }
        throw new AssertionError("access unit not found in the clip");
    }

    /** Reassembles RTP (single NAL and FU-A) into access units from interleaved channel 0, checking headers. */
    static final class RtpReader {
        private final RtspTestClient client;
        int ssrc;
        int firstSequence = -1;
        int lastSequence = -1;
        long lastTimestamp;
        long packets;
        long payloadOctets;
        int sequenceGaps;
        private List<byte[]> current = new java.util.ArrayList<>();
        private java.io.ByteArrayOutputStream fragment;
        private List<byte[]> completed;

        RtpReader(RtspTestClient client) {
            this.client = client;
        }

        List<byte[]> nextAccessUnit() throws Exception {
            while (completed == null) {
                RtspTestClient.RtpPacket f = client.readPacket();
                if (f.channel() == 0) {
                    accept(f.data());
                }
            }
            List<byte[]> au = completed;
            completed = null;
            return au;
        }

        void accept(byte[] p) throws EOFException {
            ByteBuffer b = ByteBuffer.wrap(p);
            assertThat(b.get(0) & 0xFF).isEqualTo(0x80);
            assertThat(b.get(1) & 0x7F).isEqualTo(96);
            boolean marker = (b.get(1) & 0x80) != 0;
            int seq = b.getShort(2) & 0xFFFF;
            long ts = Integer.toUnsignedLong(b.getInt(4));
            if (firstSequence < 0) {
                firstSequence = seq;
                ssrc = b.getInt(8);
            } else {
                assertThat(b.getInt(8)).isEqualTo(ssrc);
                if (seq != ((lastSequence + 1) & 0xFFFF)) {
                    sequenceGaps++;
                }
            }
            lastSequence = seq;
            lastTimestamp = ts;
            packets++;
            payloadOctets += p.length - 12;
            int type = p[12] & 0x1F;
            if (type == org.vigie.rtsp.rtp.H264Packetizer.FU_A) {
                if ((p[13] & 0x80) != 0) {
                    fragment = new java.io.ByteArrayOutputStream();
                    fragment.write((p[12] & 0xE0) | (p[13] & 0x1F));
                }
                fragment.write(p, 14, p.length - 14);
                if ((p[13] & 0x40) != 0) {
                    current.add(fragment.toByteArray());
                    fragment = null;
                }
            } else {
                current.add(java.util.Arrays.copyOfRange(p, 12, p.length));
            }
            if (marker) {
                completed = current;
                current = new java.util.ArrayList<>();
            }
        }
    }
}

package org.vigie.playback.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigie.base.privacy.MaskSet;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.NtpTime;
import org.vigie.media.StreamKey;
import org.vigie.playback.MediaSources;
import org.vigie.playback.OpenAccess;
import org.vigie.playback.PacedCamera;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.rtsp.rtcp.RtcpPacket;
import org.vigie.rtsp.rtcp.SenderReport;
import org.vigie.stream.StreamHub;
import org.vigie.testing.RtspTestClient;
import org.vigie.testing.TestClip;

/**
 * The live re-stream over UDP sends its RTCP sender reports to the client's RTCP port: a client on 127.0.0.1 binds an
 * RTP/RTCP port pair, SETs UP over UDP and PLAYs, and reads a sender report whose NTP/RTP mapping places every RTP
 * packet it receives at the wall time of a frame the camera gave.
 */
class UdpSenderReportTest {

    private static final long WALL0 = 1_780_000_000_000_000L; // µs, 2026: frame n is at WALL0 + n × 40 ms
    private static final long FRAME_MICROS = 40_000L;

    final TestClip clip = TestClip.of(100);
    final StreamHub hub = new StreamHub(StreamKey.main("cam-1"), new FrameSink() {
        public void onFrame(Frame frame) {
        }

        public void onSessionEnd(long sessionId) {
        }
    });
    PacedCamera camera;
    RtspServer server;
    DatagramSocket rtp;
    DatagramSocket rtcp;

    @AfterEach
    void stop() throws Exception {
        if (camera != null) camera.close();
        if (server != null) server.close();
        if (rtp != null) rtp.close();
        if (rtcp != null) rtcp.close();
    }

    @Test
    void senderReportsArriveOnTheClientsRtcpPortAndMapRtpTimeToTheFramesWallTime() throws Exception {
        server = RtspServer.start("127.0.0.1", 0, sources(), new OpenAccess(() -> MaskSet.NONE),
                Duration.ofSeconds(10), 16, Duration.ofSeconds(60), RtspServer.Security.PLAIN, null);
        camera = PacedCamera.start(clip, 1, WALL0, hub); // the clip at 25 fps
        bindPortPair();
        String url = "rtsp://127.0.0.1:" + server.port() + "/live/cam-1";
        try (RtspTestClient client = new RtspTestClient(server.port()).basicAuth("alice", "pw")) {
            assertThat(client.request("DESCRIBE", url).status()).isEqualTo(200);
            RtspTestClient.Reply setup = client.request("SETUP", url + "/" + RtspTestClient.TRACK,
                    "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort());
            assertThat(setup.status()).isEqualTo(200);
            assertThat(setup.header("transport")).contains("server_port=" + server.udpRtpPort() + "-"
                    + (server.udpRtpPort() + 1));
            assertThat(client.request("PLAY", url, "Range: npt=now-").status()).isEqualTo(200);

            byte[] buf = new byte[2048];
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            rtcp.receive(d); // the first report follows the first frame
            assertThat(((InetSocketAddress) d.getSocketAddress()).getPort()).as("sent from the server's RTCP port")
                    .isEqualTo(server.udpRtpPort() + 1);
            RtcpPacket report = RtcpPacket.parse(Unpooled.wrappedBuffer(buf, 0, d.getLength()), 0, d.getLength());
            assertThat(report.types()).containsExactly(RtcpPacket.SR, RtcpPacket.SDES);
            SenderReport sr = report.senderReports().get(0);
            long srWall = NtpTime.toMicros(sr.ntpTimestamp());
            assertThat(offFrameGrid(srWall)).as("the report's NTP time is a frame's wall time (µs off)")
                    .isLessThanOrEqualTo(1);

            Set<Long> timestamps = new HashSet<>();
            for (int i = 0; i < 100; i++) { // about two seconds of video
                rtp.receive(d);
                byte[] p = d.getData();
                int ssrc = ((p[8] & 0xFF) << 24) | ((p[9] & 0xFF) << 16) | ((p[10] & 0xFF) << 8) | (p[11] & 0xFF);
                assertThat(ssrc).as("the RTP stream's SSRC").isEqualTo(sr.ssrc());
                long ts = ((p[4] & 0xFFL) << 24) | ((p[5] & 0xFFL) << 16) | ((p[6] & 0xFFL) << 8) | (p[7] & 0xFFL);
                timestamps.add(ts);
                long wall = srWall + Math.round((int) (ts - (sr.rtpTimestamp() & 0xFFFF_FFFFL)) * 100 / 9.0);
                assertThat(offFrameGrid(wall)).as("RTP timestamp %d placed by the report (µs off a frame)", ts)
                        .isLessThanOrEqualTo(12); // one 90 kHz tick
            }
            assertThat(timestamps).as("the report's RTP timestamp is one of the stream's")
                    .contains(sr.rtpTimestamp() & 0xFFFF_FFFFL);
        }
    }

    /** How far a wall time is from the nearest frame's, in µs. */
    private static long offFrameGrid(long wallMicros) {
        long r = Math.floorMod(wallMicros - WALL0, FRAME_MICROS);
        return Math.min(r, FRAME_MICROS - r);
    }

    /** An even RTP port and the next one for RTCP, on 127.0.0.1. */
    private void bindPortPair() throws SocketException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramSocket a = new DatagramSocket(new InetSocketAddress(lo, 0));
            if (a.getLocalPort() % 2 == 0 && a.getLocalPort() < 65535) {
                try {
                    rtcp = new DatagramSocket(new InetSocketAddress(lo, a.getLocalPort() + 1));
                    rtp = a;
                    rtp.setSoTimeout(10_000);
                    rtcp.setSoTimeout(10_000);
                    rtp.setReceiveBufferSize(1 << 20);
                    return;
                } catch (SocketException e) {
                    // taken: try another
                }
            }
            a.close();
        }
        throw new SocketException("no free UDP port pair");
    }

    private MediaSources sources() {
        return new MediaSources() {
            public Optional<StreamHub> hub(StreamKey key) {
                return key.equals(hub.key()) ? Optional.of(hub) : Optional.empty();
            }

            public ArchiveReader archive() {
                return null;
            }
        };
    }
}

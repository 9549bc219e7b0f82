package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.vigie.testing.RtspTestClient;

/** RTP over UDP unicast, and the session timeout driven by the injected clock. */
class UdpSessionTest {

    /** A clock the test moves by hand. */
    static final class ManualClock implements InstantSource {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-06-01T12:00:00Z"));

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    @Test
    void udpSessionDeliversRtpToTheClientPortsAndExpiresWithoutKeepAlive() throws Exception {
        ManualClock clock = new ManualClock();
        SimulatorOptions options = TestClips.options(TestClips.TINY).withClock(clock)
                .withSessionTimeout(Duration.ofSeconds(5));
        try (CameraSimulator sim = CameraSimulator.start(0, 1, options);
             DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             RtspTestClient raw = new RtspTestClient(sim.urls().get(0).getPort())) {
            URI url = sim.urls().get(0);
            RtspTestClient.Reply describe = raw.request("DESCRIBE", url.toString());
            RtspTestClient.Reply setup = raw.request("SETUP", describe.header("Content-Base") + "trackID=0",
                    "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + (rtp.getLocalPort() + 1));
            assertThat(setup.status()).isEqualTo(200);
            String transport = setup.header("Transport");
            assertThat(transport).contains("client_port=" + rtp.getLocalPort(),
                    "server_port=" + sim.udpRtpPort() + "-" + (sim.udpRtpPort() + 1));
            assertThat(setup.header("Session")).endsWith(";timeout=5");
            int ssrc = Integer.parseUnsignedInt(transport.replaceAll(".*ssrc=([0-9A-Fa-f]+).*", "$1"), 16);
            assertThat(raw.request("PLAY", url.toString()).status()).isEqualTo(200);

            rtp.setSoTimeout(3000);
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            rtp.receive(p);
            assertThat(p.getPort()).isEqualTo(sim.udpRtpPort());
            ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
            assertThat(b.get(1) & 0x7F).isEqualTo(96);
            assertThat(b.getInt(8)).isEqualTo(ssrc);
            assertThat(sim.stats("cam-001").playingSessions()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(6)); // no keep-alive for longer than the timeout

            assertThat(raw.closedByServer()).isTrue(); // checked once per second by the pacer
            assertThat(sim.stats("cam-001").sessions()).isZero();
        }
    }
}

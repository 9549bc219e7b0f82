package org.vigie.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.vigie.rtsp.auth.DigestVerifier;
import org.vigie.rtsp.rtp.H264Packetizer;

/**
 * N simulated RTSP cameras in one process, {@code rtsp://127.0.0.1:<port>/cam-001} ... {@code cam-NNN}, all
 * looping one H.264 clip at real-time pace. Usable in-process by tests and demos:
 * <pre>{@code
 * try (CameraSimulator sim = CameraSimulator.start(0, 4, SimulatorOptions.defaults().withPreset(ClipPreset.SMALL_240P))) {
 *     URI cam1 = sim.urls().get(0);           // rtsp://127.0.0.1:41234/cam-001
 *     sim.stopCamera("cam-001");             // its sessions are closed; new requests get 404
 *     sim.startCamera("cam-001");            // serves again
 * }
 * }</pre>
 *
 * <p>A stopped camera behaves like a camera that vanished behind a reachable NVR: the RTSP connections of its
 * sessions are closed by the server (clients see end of stream) and DESCRIBE/SETUP/PLAY for it answer
 * {@code 404 Not Found} until {@link #startCamera(String)}. The port stays open for the other cameras.
 *
 * <p>Threads: Netty's boss and worker event loops (at most 2 workers) and one pacer thread for all cameras.
 * Thread-safe.
 */
public final class CameraSimulator implements AutoCloseable {

    /** Loop offset step between consecutive cameras, in frames, when staggered (spreads IDR pictures). */
    static final int STAGGER_FRAMES = 7;

    private final H264Clip clip;
    private final ServedCameras served;
    private final RtspServer server;
    private final FramePacer pacer;
    private final SimulatorOptions options;

    private CameraSimulator(H264Clip clip, ServedCameras served, RtspServer server, FramePacer pacer,
                            SimulatorOptions options) {
        this.clip = clip;
        this.served = served;
        this.server = server;
        this.pacer = pacer;
        this.options = options;
    }

    /**
     * Loads (or generates) the clip, binds the RTSP port (0 for any free port) and the UDP pair, and starts
     * pacing {@code cameraCount} cameras named {@link #cameraId(int) cam-001} and up.
     */
    public static CameraSimulator start(int port, int cameraCount, SimulatorOptions options) {
        if (cameraCount < 1) {
            throw new IllegalArgumentException("at least one camera: " + cameraCount);
        }
        H264Clip clip = loadClip(options);
        H264Packetizer packetizer = new H264Packetizer(options.maxRtpPayload());
        List<RtpAccessUnit> packetized = clip.accessUnits().stream()
                .map(au -> new RtpAccessUnit(packetizer.packetize(au.nalUnits()), au.idr())).toList();
        int largest = packetized.stream().mapToInt(au -> au.payloadBytes() + 16 * au.payloads().size()).max()
                .orElseThrow();
        if (options.writeBufferHighWaterMark() < 2 * largest) {
            // otherwise every key frame would make a healthy TCP client "slow" and lose a GOP
            throw new IllegalArgumentException("writeBufferHighWaterMark " + options.writeBufferHighWaterMark()
                    + " must be at least twice the largest access unit (" + largest + " bytes on the wire)");
        }
        List<SimulatedCamera> cameras = new ArrayList<>();
        for (int i = 1; i <= cameraCount; i++) {
            int offset = options.staggered() ? (i - 1) * STAGGER_FRAMES : 0;
            cameras.add(new SimulatedCamera(cameraId(i), packetized, offset));
        }
        ServedCameras served = new ServedCameras(cameras, clip);
        DigestVerifier auth = options.authenticationRequired()
                ? new DigestVerifier(options.realm(), new SecureRandom(), false)
                : null;
        RtspServer server = RtspServer.bind(port, served, auth, options);
        FramePacer pacer = new FramePacer(cameras, clip.fps(), options.clock(), session -> {
            served.forget(session);
            session.controlChannel().close();
        });
        pacer.start();
        return new CameraSimulator(clip, served, server, pacer, options);
    }

    private static H264Clip loadClip(SimulatorOptions options) {
        try {
            if (options.clipFile() != null) {
                return H264Clip.read(options.clipFile(), options.clipFps());
            }
            ClipLibrary library = options.clipCache() != null
                    ? new ClipLibrary(options.clipCache()) : ClipLibrary.userCache();
            Path file = library.obtain(options.preset());
            return H264Clip.read(file, options.preset().fps());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the clip", e);
        }
    }

    /** The id of the n-th camera, counting from 1: {@code cam-001}. */
    public static String cameraId(int number) {
        return String.format("cam-%03d", number);
    }

    public int port() {
        return server.port();
    }

    /** The even UDP port RTP is sent from (RTCP: the next one). */
    public int udpRtpPort() {
        return server.udp().rtpPort();
    }

    public H264Clip clip() {
        return clip;
    }

    public List<String> cameraIds() {
        return served.cameras().stream().map(SimulatedCamera::id).toList();
    }

    /** The RTSP URLs of all cameras, in order, without credentials. */
    public List<URI> urls() {
        return cameraIds().stream().map(this::url).toList();
    }

    public URI url(String cameraId) {
        camera(cameraId);
        return URI.create("rtsp://" + host() + ":" + port() + "/" + cameraId);
    }

    /** The URL with {@code user:password@} when authentication is on (what ffplay or a recorder needs). */
    public URI urlWithCredentials(String cameraId) {
        if (!options.authenticationRequired()) {
            return url(cameraId);
        }
        String userInfo = URLEncoder.encode(options.username(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(options.password(), StandardCharsets.UTF_8);
        return URI.create("rtsp://" + userInfo + "@" + host() + ":" + port() + "/" + cameraId);
    }

    private String host() {
        InetAddress a = options.bindAddress();
        if (a.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    }

    /** Stops a camera: closes the connections of its sessions; requests for it get 404 until started again. */
    public void stopCamera(String cameraId) {
        served.stop(camera(cameraId));
    }

    /** Brings a stopped camera back. */
    public void startCamera(String cameraId) {
        camera(cameraId).start();
    }

    public CameraStats stats(String cameraId) {
        return camera(cameraId).stats();
    }

    private SimulatedCamera camera(String cameraId) {
        SimulatedCamera c = served.camera(cameraId);
        if (c == null) {
            throw new NoSuchElementException("no camera " + cameraId);
        }
        return c;
    }

    /** Stops pacing and closes every socket. */
    @Override
    public void close() {
        pacer.close();
        server.close();
    }
}

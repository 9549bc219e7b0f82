package org.vigie.simulator;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Settings of a {@link CameraSimulator}, immutable; start from {@link #defaults()} and change with the
 * {@code with...} methods.
 *
 * @param bindAddress       where the RTSP and RTP/RTCP sockets listen; loopback by default
 * @param preset            the clip to generate (ignored when {@code clipFile} is set)
 * @param clipFile          a custom Annex B H.264 clip, or null; it must start with an IDR picture
 * @param clipFps           the frame rate a custom clip is played at
 * @param clipCache         where generated clips are cached, or null for {@link ClipLibrary#userCache()}
 * @param username          Digest credentials; both null for no authentication
 * @param realm             the Digest realm
 * @param clock             wall clock of RTCP sender reports and session timeouts
 * @param senderReportInterval time between RTCP sender reports of a session (the first follows the first frame)
 * @param sessionTimeout    advertised in the Session header; UDP sessions without keep-alive are closed after it
 * @param udpRtpPort        even UDP port for RTP (RTCP on the next one), or 0 to pick a free pair
 * @param staggered         true to start each camera at a different position of the clip, spreading key frames
 * @param maxRtpPayload     largest RTP payload (FU-A fragmentation above it)
 * @param writeBufferHighWaterMark bytes queued for a TCP client above which its frames are dropped; checked at
 *                          start to be at least twice the clip's largest access unit
 * @param tcpSendBuffer     SO_SNDBUF of RTSP connections in bytes, or 0 for the kernel's auto-tuning (which may
 *                          buffer megabytes per client before {@code writeBufferHighWaterMark} is reached)
 */
public record SimulatorOptions(InetAddress bindAddress, ClipPreset preset, Path clipFile, int clipFps,
                               Path clipCache, String username, String password, String realm,
                               InstantSource clock, Duration senderReportInterval, Duration sessionTimeout,
                               int udpRtpPort, boolean staggered, int maxRtpPayload,
                               int writeBufferHighWaterMark, int tcpSendBuffer) {

    public SimulatorOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(senderReportInterval, "senderReportInterval");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("give both username and password, or neither");
        }
        if (udpRtpPort < 0 || udpRtpPort > 65534 || udpRtpPort % 2 != 0) {
            throw new IllegalArgumentException("UDP RTP port must be even (RTCP uses the next one): " + udpRtpPort);
        }
        if (sessionTimeout.toSeconds() < 1 || senderReportInterval.isNegative() || senderReportInterval.isZero()) {
            throw new IllegalArgumentException("timeouts and intervals must be positive");
        }
        if (tcpSendBuffer < 0) {
            throw new IllegalArgumentException("tcpSendBuffer must be >= 0: " + tcpSendBuffer);
        }
        if (clipFps < 1 || maxRtpPayload < 100 || writeBufferHighWaterMark < 64 * 1024) {
            throw new IllegalArgumentException("clipFps >= 1, maxRtpPayload >= 100, high water mark >= 64 KiB");
        }
    }

    /** Loopback, the 720p preset, no authentication, system clock, SR every 2 s, 60 s session timeout. */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions(InetAddress.getLoopbackAddress(), ClipPreset.HD_720P, null, 25, null,
                null, null, "Vigie Simulator", InstantSource.system(), Duration.ofSeconds(2), Duration.ofSeconds(60),
                0, true, org.vigie.rtsp.rtp.Packetizer.DEFAULT_MAX_PAYLOAD, 1024 * 1024, 0);
    }

    public boolean authenticationRequired() {
        return username != null;
    }

    public SimulatorOptions withBindAddress(InetAddress v) {
        return new SimulatorOptions(v, preset, clipFile, clipFps, clipCache, username, password, realm, clock,
                senderReportInterval, sessionTimeout, udpRtpPort, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withPreset(ClipPreset v) {
        return new SimulatorOptions(bindAddress, v, null, clipFps, clipCache, username, password, realm, clock,
                senderReportInterval, sessionTimeout, udpRtpPort, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withClipFile(Path file, int fps) {
        return new SimulatorOptions(bindAddress, preset, file, fps, clipCache, username, password, realm, clock,
                senderReportInterval, sessionTimeout, udpRtpPort, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withClipCache(Path v) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, v, username, password, realm, clock,
                senderReportInterval, sessionTimeout, udpRtpPort, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withCredentials(String user, String pass) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, clipCache, user, pass, realm, clock,
                senderReportInterval, sessionTimeout, udpRtpPort, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withClock(InstantSource v) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, clipCache, username, password, realm, v,
                senderReportInterval, sessionTimeout, udpRtpPort, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withSenderReportInterval(Duration v) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, clipCache, username, password, realm,
                clock, v, sessionTimeout, udpRtpPort, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withSessionTimeout(Duration v) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, clipCache, username, password, realm,
                clock, senderReportInterval, v, udpRtpPort, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withUdpRtpPort(int v) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, clipCache, username, password, realm,
                clock, senderReportInterval, sessionTimeout, v, staggered, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withStaggered(boolean v) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, clipCache, username, password, realm,
                clock, senderReportInterval, sessionTimeout, udpRtpPort, v, maxRtpPayload, writeBufferHighWaterMark, tcpSendBuffer);
    }

    public SimulatorOptions withWriteBufferHighWaterMark(int v) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, clipCache, username, password, realm,
                clock, senderReportInterval, sessionTimeout, udpRtpPort, staggered, maxRtpPayload, v, tcpSendBuffer);
    }

    public SimulatorOptions withTcpSendBuffer(int v) {
        return new SimulatorOptions(bindAddress, preset, clipFile, clipFps, clipCache, username, password, realm,
                clock, senderReportInterval, sessionTimeout, udpRtpPort, staggered, maxRtpPayload,
                writeBufferHighWaterMark, v);
    }
}

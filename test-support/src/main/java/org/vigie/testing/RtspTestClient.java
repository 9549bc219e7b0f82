package org.vigie.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal RTSP client over a raw TCP socket, the one RTSP test client of every module: it sends requests exactly
 * as written and reads replies and interleaved packets exactly as they come off the wire, so that tests check the
 * bytes a server really sent (status codes, headers, the RTP packets themselves), which ffprobe and rtspsrc do not
 * show. It echoes the {@code Session} it was given and checks that every reply echoes its {@code CSeq}.
 * Not thread-safe.
 */
public final class RtspTestClient implements AutoCloseable {

    private int rtcpPackets;

    /** A reply: status code, headers (lower-case names), body. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One interleaved packet ({@code $}, channel, length, data): RTP or RTCP. */
    public record RtpPacket(int channel, byte[] data) {
        public boolean extension() {
            return (data[0] & 0x10) != 0;
        }

        public boolean marker() {
            return (data[1] & 0x80) != 0;
        }

        public int sequence() {
            return ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        }

        public long timestamp() {
            return ((data[4] & 0xFFL) << 24) | ((data[5] & 0xFF) << 16) | ((data[6] & 0xFF) << 8) | (data[7] & 0xFF);
        }

        /** The ONVIF replay extension's absolute time, µs since the epoch. */
        public long onvifWallMicros() {
            if (!extension() || (((data[12] & 0xFF) << 8) | (data[13] & 0xFF)) != 0xABAC) {
                throw new AssertionError("no ONVIF replay extension");
            }
            long ntp = 0;
            for (int i = 16; i < 24; i++) ntp = (ntp << 8) | (data[i] & 0xFF);
            long secs = (ntp >>> 32) - 2_208_988_800L;
            long frac = ntp & 0xFFFFFFFFL;
            return secs * 1_000_000L + ((frac * 1_000_000L + (1L << 31)) >>> 32);
        }

        public boolean onvifCleanPoint() {
            return (data[24] & 0x80) != 0;
        }

        /** The NAL unit type of the payload (28 = FU-A, then the fragment's type). */
        public int nalType() {
            int off = 12 + (extension() ? 4 + 4 * (((data[14] & 0xFF) << 8) | (data[15] & 0xFF)) : 0);
            int t = data[off] & 0x1F;
            return t == 28 ? data[off + 1] & 0x1F : t;
        }
    }

    /** The track control the project's servers give their one video stream, relative to the Content-Base. */
    public static final String TRACK = "trackID=0";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private String authorization;
    private int cseq;
    private String session;

    /**
     * Connects to 127.0.0.1:{@code port}.
     *
     * @param receiveBuffer the socket's receive buffer in bytes (small: a client that stops reading is soon a slow
     *                      client), or 0 for the system's default
     */
    public RtspTestClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
    }

    public RtspTestClient(int port) throws IOException {
        this(port, 0);
    }

    /** Sends {@code Authorization: Basic} with every request from now on. */
    public RtspTestClient basicAuth(String user, String password) {
        authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public Socket socket() {
        return socket;
    }

    /** The session of the last reply that named one, without its {@code ;timeout=}. */
    public String session() {
        return session;
    }

    /** Sends a request with {@code "Name: value"} headers and returns its reply (interleaved data is skipped). */
    public Reply request(String method, String url, String... headers) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : headers) {
            int colon = line.indexOf(':');
            h.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return request(method, url, h);
    }

    /**
     * Sends a request (with CSeq, the credentials, and the current Session unless {@code headers} has one) and
     * returns its reply, skipping interleaved data.
     */
    public Reply request(String method, String url, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\n");
        sb.append("CSeq: ").append(++cseq).append("\r\n");
        if (authorization != null) sb.append("Authorization: ").append(authorization).append("\r\n");
        boolean namesSession = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Session"));
        if (session != null && !namesSession) sb.append("Session: ").append(session).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            int first = in.readUnsignedByte();
            if (first == '$') {
                readPacketBody();
                continue;
            }
            Reply r = readReply((char) first);
            if (!String.valueOf(cseq).equals(r.header("CSeq"))) {
                throw new IOException("CSeq not echoed: " + r.header("CSeq") + " for " + cseq);
            }
            String s = r.header("Session");
            if (s != null) session = s.split(";")[0].trim();
            return r;
        }
    }

    /** DESCRIBE, then SETUP over TCP interleaved 0-1 of the described track; returns the session id. */
    public String setUp(String url) throws IOException {
        Reply d = request("DESCRIBE", url, "Accept: application/sdp");
        if (d.status() != 200) throw new IOException("DESCRIBE " + url + ": " + d.status() + " " + d.body());
        String base = d.header("content-base");
        Reply s = request("SETUP", base + TRACK, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        if (s.status() != 200) throw new IOException("SETUP: " + s.status() + " " + s.body());
        return s.header("session").split(";")[0];
    }

    /** DESCRIBE, SETUP over TCP interleaved 0-1, PLAY from the start; returns the first reply that is not 200. */
    public Reply playTcp(String url) throws IOException {
        Reply d = request("DESCRIBE", url, "Accept: application/sdp");
        if (d.status() != 200) return d;
        Reply s = request("SETUP", d.header("Content-Base") + TRACK, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        if (s.status() != 200) return s;
        return request("PLAY", url, "Range: npt=0.000-");
    }

    /**
     * The next RTP packet (no reply is expected while reading media): interleaved packets on an odd channel (RTCP, by
     * the {@code interleaved=0-1} convention of {@link #setUp}) are skipped and counted ({@link #rtcpPackets()}).
     */
    public RtpPacket readPacket() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            if (first != '$') throw new IOException("expected an interleaved packet, got byte " + first);
            RtpPacket p = readPacketBody();
            if (p.channel() % 2 == 0) return p;
            rtcpPackets++;
        }
    }

    /** The next interleaved packet, RTP or RTCP (for tests that read the sender reports themselves). */
    public RtpPacket readInterleaved() throws IOException {
        int first = in.readUnsignedByte();
        if (first != '$') throw new IOException("expected an interleaved packet, got byte " + first);
        return readPacketBody();
    }

    /** RTCP packets skipped by {@link #readPacket()} so far (the server's sender reports). */
    public int rtcpPackets() {
        return rtcpPackets;
    }

    private RtpPacket readPacketBody() throws IOException {
        int channel = in.readUnsignedByte();
        int length = in.readUnsignedShort();
        byte[] data = new byte[length];
        in.readFully(data);
        return new RtpPacket(channel, data);
    }

    private Reply readReply(char first) throws IOException {
        String statusLine = first + readLine();
        String[] parts = statusLine.split(" ", 3);
        if (!parts[0].equals("RTSP/1.0")) throw new IOException("not an RTSP response: " + statusLine);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body = new byte[Integer.parseInt(headers.getOrDefault("content-length", "0"))];
        in.readFully(body);
        return new Reply(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed");
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
    }

    /** True when the server closed the connection (end of stream), draining whatever was still queued. */
    public boolean closedByServer() throws IOException {
        byte[] sink = new byte[65536];
        try {
            while (true) {
                if (in.read(sink) < 0) return true;
            }
        } catch (java.net.SocketException e) {
            return true; // reset
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

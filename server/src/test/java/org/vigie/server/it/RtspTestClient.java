package org.vigie.server.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal RTSP client over TCP interleaved, to look at what ffprobe and rtspsrc do not show: status codes, reply
 * headers and the RTP packets themselves. Not thread-safe.
 */
public final class RtspTestClient implements AutoCloseable {

    /** A reply: status code, headers (lower-case names), body. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One interleaved RTP packet. */
    record RtpPacket(int channel, byte[] data) {
        boolean extension() {
            return (data[0] & 0x10) != 0;
        }

        boolean marker() {
            return (data[1] & 0x80) != 0;
        }

        int sequence() {
            return ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        }

        long timestamp() {
            return ((data[4] & 0xFFL) << 24) | ((data[5] & 0xFF) << 16) | ((data[6] & 0xFF) << 8) | (data[7] & 0xFF);
        }

        /** The ONVIF replay extension's absolute time, µs since the epoch. */
        long onvifWallMicros() {
            if (!extension() || (((data[12] & 0xFF) << 8) | (data[13] & 0xFF)) != 0xABAC) {
                throw new AssertionError("no ONVIF replay extension");
            }
            long ntp = 0;
            for (int i = 16; i < 24; i++) ntp = (ntp << 8) | (data[i] & 0xFF);
            long secs = (ntp >>> 32) - 2_208_988_800L;
            long frac = ntp & 0xFFFFFFFFL;
            return secs * 1_000_000L + ((frac * 1_000_000L + (1L << 31)) >>> 32);
        }

        boolean onvifCleanPoint() {
            return (data[24] & 0x80) != 0;
        }

        /** The NAL unit type of the payload (28 = FU-A, then the fragment's type). */
        int nalType() {
            int off = 12 + (extension() ? 4 + 4 * (((data[14] & 0xFF) << 8) | (data[15] & 0xFF)) : 0);
            int t = data[off] & 0x1F;
            return t == 28 ? data[off + 1] & 0x1F : t;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String authorization;
    private int cseq;

    public RtspTestClient(int port, String user, String password) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(32 * 1024); // so that a client that stops reading is soon a slow client
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(15_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
        authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Reply request(String method, String url, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder(method + " " + url + " RTSP/1.0\r\nCSeq: " + (++cseq) + "\r\n");
        if (authorization != null) sb.append("Authorization: ").append(authorization).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readReply();
    }

    private Reply readReply() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            if (first == '$') {
                in.readUnsignedByte();
                int len = in.readUnsignedShort();
                in.skipNBytes(len);
                continue;
            }
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(first);
            while (!endsWithBlankLine(head)) head.write(in.readUnsignedByte());
            String[] lines = head.toString(StandardCharsets.UTF_8).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                if (c > 0) h.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
            int len = Integer.parseInt(h.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(len);
            return new Reply(status, h, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream b) {
        byte[] a = b.toByteArray();
        int n = a.length;
        return n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n';
    }

    /** The next interleaved packet (replies are not expected while reading media). */
    RtpPacket readPacket() throws IOException {
        int first = in.readUnsignedByte();
        if (first != '$') throw new IOException("expected an interleaved packet, got byte " + first);
        int channel = in.readUnsignedByte();
        int len = in.readUnsignedShort();
        return new RtpPacket(channel, in.readNBytes(len));
    }

    /** DESCRIBE, SETUP over TCP interleaved; returns the session id. */
    public String setUp(String url) throws IOException {
        Reply d = request("DESCRIBE", url, Map.of("Accept", "application/sdp"));
        if (d.status() != 200) throw new IOException("DESCRIBE " + url + ": " + d.status() + " " + d.body());
        String base = d.header("content-base");
        Reply s = request("SETUP", base + "trackID=0", Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"));
        if (s.status() != 200) throw new IOException("SETUP: " + s.status() + " " + s.body());
        return s.header("session").split(";")[0];
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package org.vigie.simulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal RTSP client over a raw socket for the tests: sends requests, reads responses and interleaved frames
 * exactly as they come off the wire, so tests check the bytes the server really sent.
 */
final class RawRtspClient implements AutoCloseable {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Interleaved(int channel, byte[] data) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int cseq;
    private String session;

    RawRtspClient(URI url, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 2000);
        socket.setSoTimeout(5000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
    }

    RawRtspClient(URI url) throws IOException {
        this(url, 0);
    }

    Socket socket() {
        return socket;
    }

    /** Sends a request (with CSeq and the current Session) and returns the response, skipping interleaved data. */
    Response request(String method, String url, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\n");
        sb.append("CSeq: ").append(++cseq).append("\r\n");
        if (session != null) {
            sb.append("Session: ").append(session).append("\r\n");
        }
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            int first = in.readUnsignedByte();
            if (first == '$') {
                readInterleavedBody();
                continue;
            }
            Response r = readResponse((char) first);
            if (!String.valueOf(cseq).equals(r.header("CSeq"))) {
                throw new IOException("CSeq not echoed: " + r.header("CSeq") + " for " + cseq);
            }
            String s = r.header("Session");
            if (s != null) {
                session = s.split(";")[0].trim();
            }
            return r;
        }
    }

    /** DESCRIBE, SETUP over TCP interleaved 0-1, PLAY; returns the PLAY response. */
    Response playTcp(URI url) throws IOException {
        Response d = request("DESCRIBE", url.toString(), "Accept: application/sdp");
        if (d.status() != 200) {
            return d;
        }
        Response s = request("SETUP", d.header("Content-Base") + SessionDescription.TRACK_CONTROL,
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        if (s.status() != 200) {
            return s;
        }
        return request("PLAY", url.toString(), "Range: npt=0.000-");
    }

    /** The next interleaved frame. */
    Interleaved readInterleaved() throws IOException {
        int first = in.readUnsignedByte();
        if (first != '$') {
            throw new IOException("expected an interleaved frame, got byte " + first);
        }
        return readInterleavedBody();
    }

    private Interleaved readInterleavedBody() throws IOException {
        int channel = in.readUnsignedByte();
        int length = in.readUnsignedShort();
        byte[] data = new byte[length];
        in.readFully(data);
        return new Interleaved(channel, data);
    }

    private Response readResponse(char first) throws IOException {
        String statusLine = first + readLine();
        String[] parts = statusLine.split(" ", 3);
        if (!parts[0].equals("RTSP/1.0")) {
            throw new IOException("not an RTSP response: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = new byte[length];
        in.readFully(body);
        return new Response(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
    }

    /** True when the server closed the connection (end of stream), draining whatever was still queued. */
    boolean closedByServer() throws IOException {
        byte[] sink = new byte[65536];
        try {
            while (true) {
                if (in.read(sink) < 0) {
                    return true;
                }
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

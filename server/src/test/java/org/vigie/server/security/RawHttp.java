package org.vigie.server.security;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client over a raw socket that sends a request exactly as written (any request target, any header,
 * any body, which java.net.http refuses to send) and reads one response (Content-Length, chunked, or to the end).
 * One connection per request, {@code Connection: close}.
 */
final class RawHttp {

    /** A response: status, headers (lower-case names), de-chunked body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private RawHttp() {
    }

    static Response send(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            sb.append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) sb.append("Content-Length: ").append(body.length).append("\r\n");
            sb.append("\r\n");
            s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) s.getOutputStream().write(body);
            s.getOutputStream().flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            int code;
            Map<String, String> h;
            do { // interim answers (100 Continue) are followed by the real one
                String status = line(in);
                String[] parts = status.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not HTTP: " + status);
                h = new LinkedHashMap<>();
                for (String l = line(in); !l.isEmpty(); l = line(in)) {
                    int c = l.indexOf(':');
                    if (c > 0) h.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
                }
                code = Integer.parseInt(parts[1]);
            } while (code / 100 == 1 && code != 101);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (method.equals("HEAD") || code == 204 || code == 304 || code == 101) {
                return new Response(code, h, out.toByteArray());
            }
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                while (true) {
                    String size = line(in).split(";")[0].trim();
                    int n = Integer.parseInt(size, 16);
                    if (n == 0) break;
                    out.write(in.readNBytes(n));
                    line(in);
                }
            } else if (h.containsKey("content-length")) {
                out.write(in.readNBytes((int) Long.parseLong(h.get("content-length"))));
            } else {
                out.write(in.readAllBytes());
            }
            return new Response(code, h, out.toByteArray());
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) throw new EOFException("connection closed");
                break;
            }
            if (b == '\n') break;
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}

package org.vigie.rtsp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An RTSP request as a client writes it (or a server receives one from a camera-side peer): method, URI, headers
 * and body. Immutable. {@link #toString()} hides the {@code Authorization} value.
 */
public record RtspRequest(String method, String uri, RtspHeaders headers, byte[] body) {

    public RtspRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body;
        if (method.isEmpty() || method.chars().anyMatch(c -> c <= ' ') || uri.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("bad request line: " + method + " " + uri);
        }
    }

    /** The request's bytes: start line, headers (with {@code Content-Length} when there is a body), blank line. */
    public ByteBuf encode(ByteBufAllocator alloc) {
        StringBuilder b = new StringBuilder(256);
        b.append(method).append(' ').append(uri).append(" RTSP/1.0\r\n");
        for (int i = 0; i < headers.size(); i++) {
            b.append(headers.name(i)).append(": ").append(headers.value(i)).append("\r\n");
        }
        if (body.length > 0 && !headers.contains("Content-Length")) {
            b.append("Content-Length: ").append(body.length).append("\r\n");
        }
        b.append("\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuf out = alloc.buffer(head.length + body.length);
        out.writeBytes(head).writeBytes(body);
        return out;
    }

    @Override
    public String toString() {
        return method + " " + uri + "\n" + headers;
    }
}

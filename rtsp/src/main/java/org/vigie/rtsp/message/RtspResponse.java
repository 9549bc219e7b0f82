package org.vigie.rtsp.message;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An RTSP response as a client reads it: status code, reason phrase, headers and body (at most
 * {@link org.vigie.rtsp.RtspLimits#MAX_BODY} bytes). Immutable.
 */
public record RtspResponse(int status, String reason, RtspHeaders headers, byte[] body) {

    public RtspResponse {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RTSP/1.0 " + status + " " + reason + "\n" + headers;
    }
}

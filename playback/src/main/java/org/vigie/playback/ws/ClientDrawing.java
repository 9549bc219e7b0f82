package org.vigie.playback.ws;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a connection is trusted to draw a camera's privacy masks itself over the video it receives (issue 14),
 * instead of getting only masked pictures. The server's own page (module web) says so with the subprotocol
 * {@link #SUBPROTOCOL} next to {@code vigie.stream.v1}; the flag is honoured only when
 * <ol>
 *   <li>the request carries an {@code Origin} header naming this very server (its authority equal to the
 *       {@code Host} the request was sent to): a browser sets {@code Origin} itself and a script cannot change it,
 *       so a page of another site (a phishing copy of the client, a wall display someone else wrote) opening our
 *       WebSocket with a stolen token never gets unmasked bytes; and</li>
 *   <li>the credential is a user's session token, never an API key ({@code vk_...}): API keys are for integrators'
 *       systems, which must get what any foreign client gets.</li>
 * </ol>
 * Threat left (documented in docs/streaming.md): a program outside a browser may forge {@code Origin}; a user who
 * has a password may therefore write a client that claims to draw and does not. That user sees what their own
 * rights show plus the masked areas, and every such view is audited with {@code masks: "client"}, naming them.
 * Stateless.
 */
final class ClientDrawing {

    /** The subprotocol flag: "this client draws the privacy masks of the {@code opened} event". */
    static final String SUBPROTOCOL = "vigie.masks.client";

    private ClientDrawing() {
    }

    /** Whether the request asks for client-side drawing and may be trusted with it (see the class comment). */
    static boolean honoured(FullHttpRequest req, String authorization) {
        return asked(req) && sameOrigin(req) && authorization != null
                && !authorization.startsWith("Bearer " + API_KEY_PREFIX);
    }

    /** The prefix of API keys ({@code Authenticator.API_KEY_PREFIX} of the server). */
    static final String API_KEY_PREFIX = "vk_";

    static boolean asked(FullHttpRequest req) {
        String protocols = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (protocols == null) return false;
        for (String p : protocols.split(",")) {
            if (p.trim().equals(SUBPROTOCOL)) return true;
        }
        return false;
    }

    /** The {@code Origin}'s host and port equal the {@code Host} header's (default ports made explicit). */
    static boolean sameOrigin(FullHttpRequest req) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (origin == null || host == null) return false;
        try {
            URI o = new URI(origin.trim());
            if (o.getHost() == null || o.getScheme() == null) return false;
            int port = o.getPort() != -1 ? o.getPort() : o.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            URI h = new URI(o.getScheme() + "://" + host.trim());
            if (h.getHost() == null) return false;
            int hostPort = h.getPort() != -1 ? h.getPort() : port == 443 && o.getScheme().equalsIgnoreCase("https")
                    ? 443 : 80;
            return o.getHost().toLowerCase(Locale.ROOT).equals(h.getHost().toLowerCase(Locale.ROOT))
                    && port == hostPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}

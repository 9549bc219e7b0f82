package org.vigie.playback;

import java.net.URI;

/**
 * Where a view is relayed from (issue 13): another node's streaming endpoint and the node-to-node credential that
 * opens it on behalf of the viewer (never the viewer's own token).
 *
 * @param node          the node that has the bytes
 * @param uri           its {@code ws://} or {@code wss://} streaming endpoint
 * @param authorization the Authorization header value to present there
 */
public record RemoteStream(String node, URI uri, String authorization) {

    @Override
    public String toString() {
        return "RemoteStream[" + node + ", " + uri + "]"; // never the credential
    }
}

package org.vigie.playback;

import java.net.URI;

/**
 * Where a view is relayed from (issue 13): another node's streaming endpoint and the node-to-node credential that
 * opens it on behalf of the viewer (never the viewer's own token).
 *
 * @param node          the node that has the bytes
 * @param uri           its {@code ws://} or {@code wss://} streaming endpoint
 * @param authorization the Authorization header value to present there
 * @param clientDraws   the asking node vouches that its client draws the privacy masks (the header is signed for
 *                      it); the connection then offers the {@code vigie.masks.client} subprotocol
 */
public record RemoteStream(String node, URI uri, String authorization, boolean clientDraws) {

    public RemoteStream(String node, URI uri, String authorization) {
        this(node, uri, authorization, false);
    }

    @Override
    public String toString() {
        return "RemoteStream[" + node + ", " + uri + "]"; // never the credential
    }
}

package org.vigie.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.api.Test;

/** Issue 13: a user's {@code part=cluster} is not relayed with the node credential (a node's part is unmasked). */
class RemoteExportHandlerTest {

    @Test
    void theRelayedUriLeavesPartOutAndKeepsTheRest() {
        String uri = RemoteExportHandler.relayedUri(new QueryStringDecoder("/api/v1/cameras/cam-1/export.mp4"
                + "?from=2026-12-06T10:00:00Z&part=cluster&to=2026-12-06T10:01:00Z&reason=r%C3%A9quisition+1&PART=x"));
        QueryStringDecoder back = new QueryStringDecoder(uri);
        assertThat(back.path()).isEqualTo("/api/v1/cameras/cam-1/export.mp4");
        assertThat(back.parameters()).doesNotContainKey("part").containsKey("PART");
        assertThat(back.parameters().get("reason")).containsExactly("réquisition 1");
        assertThat(back.parameters().get("from")).containsExactly("2026-12-06T10:00:00Z");
        assertThat(back.parameters().get("to")).containsExactly("2026-12-06T10:01:00Z");
    }
}

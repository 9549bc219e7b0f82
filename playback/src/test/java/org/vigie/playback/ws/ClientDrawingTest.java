package org.vigie.playback.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** When the server trusts a connection to draw privacy masks itself (issue 14): each condition, one case. */
class ClientDrawingTest {

    private static FullHttpRequest upgrade(String protocols, String origin, String host) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/stream");
        if (protocols != null) r.headers().set("Sec-WebSocket-Protocol", protocols);
        if (origin != null) r.headers().set("Origin", origin);
        if (host != null) r.headers().set("Host", host);
        return r;
    }

    private static final String FLAG = "vigie.stream.v1, vigie.masks.client, bearer.vt_x";

    @Test
    void theServersOwnPageWithASessionTokenIsTrusted() {
        assertThat(ClientDrawing.honoured(upgrade(FLAG, "https://vms.example:8443", "vms.example:8443"),
                "Bearer vt_x")).isTrue();
        assertThat(ClientDrawing.honoured(upgrade(FLAG, "http://vms.example", "VMS.example"), "Bearer vt_x"))
                .as("default port, host case").isTrue();
    }

    @Test
    void withoutTheFlagNothingIsDrawnByTheClient() {
        assertThat(ClientDrawing.honoured(upgrade("vigie.stream.v1", "http://h:1", "h:1"), "Bearer vt_x")).isFalse();
    }

    @Test
    void anotherSitesPageIsNotTrusted() {
        assertThat(ClientDrawing.honoured(upgrade(FLAG, "https://evil.example", "vms.example"), "Bearer vt_x"))
                .isFalse();
        assertThat(ClientDrawing.honoured(upgrade(FLAG, "http://vms.example:8081", "vms.example:8080"),
                "Bearer vt_x")).as("another port").isFalse();
        assertThat(ClientDrawing.honoured(upgrade(FLAG, "null", "vms.example"), "Bearer vt_x")).as("opaque origin")
                .isFalse();
    }

    @Test
    void aClientThatSendsNoOriginIsNotTrusted() {
        assertThat(ClientDrawing.honoured(upgrade(FLAG, null, "vms.example"), "Bearer vt_x")).isFalse();
    }

    @Test
    void anApiKeyIsNeverTrusted() {
        assertThat(ClientDrawing.honoured(upgrade(FLAG, "http://vms.example", "vms.example"), "Bearer vk_key"))
                .isFalse();
    }
}

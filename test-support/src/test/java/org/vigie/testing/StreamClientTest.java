package org.vigie.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.http.WebSocket;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The JDK's WebSocket hands a text frame to the listener in parts as its bytes arrive (a server event split across
 * TCP reads, common on a loaded machine beside video fragments). The client must join the parts: parsing a part
 * threw, the listener stopped asking for messages, and the whole connection stalled (LiveWebSocketIT: "50 fragments
 * on each of 8 channels [1=11, 2=11, 3=1, 4=0, ...]" after 30 s, at load 9).
 */
class StreamClientTest {

    @Test
    void anEventDeliveredInPartsIsOneEventAndReadingGoesOn() {
        AtomicLong requested = new AtomicLong();
        WebSocket ws = (WebSocket) Proxy.newProxyInstance(WebSocket.class.getClassLoader(),
                new Class<?>[] {WebSocket.class}, (p, m, a) -> {
                    if (m.getName().equals("request")) requested.addAndGet((Long) a[0]);
                    return null;
                });
        StreamClient c = new StreamClient();
        c.onText(ws, "{\"event\":\"opened\",\"chan", false);
        c.onText(ws, "nel\":3,\"mode\":\"archive\"}", true);
        c.onText(ws, "{\"event\":\"paused\",\"channel\":3}", true);

        assertThat(c.events("opened", 3)).hasSize(1);
        assertThat(c.events("opened", 3).get(0).path("mode").asText()).isEqualTo("archive");
        assertThat(c.events("paused", 3)).hasSize(1);
        assertThat(requested.get()).as("messages asked for after each part").isEqualTo(3);
    }
}

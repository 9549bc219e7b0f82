package org.vigie.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.interactions.Actions;
import org.vigie.playback.ws.StreamEndpoint;

/** Issue 12 §3, §4 and §9: the wall plays its tiles, on one WebSocket, with the right stream per tile size. */
@ExtendWith(World.Resolver.class)
class WallIT {

    private static String cameras(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(World::camera).collect(Collectors.joining(","));
    }

    @Test
    void a2x2WallPlaysFourCamerasWithPictures(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=2x2&cameras=" + cameras(1, 4));
        c.awaitTiles("live", 4);
        List<Map<String, Object>> first = c.stats();
        for (int i = 0; i < 4; i++) {
            assertThat(first.get(i).get("camera")).isEqualTo(World.camera(i + 1));
            assertThat(c.tiles().get(i).getAttribute("data-camera")).isEqualTo(World.camera(i + 1));
            // live or, for a moment on a loaded machine, buffering: never anything else
            assertThat(c.tiles().get(i).getAttribute("data-state")).isIn("live", "buffering");
        }
        Await.until("every tile's data-state live", Duration.ofSeconds(15), () -> c.tiles().stream()
                .allMatch(t -> "live".equals(t.getAttribute("data-state"))), () -> String.valueOf(c.stats()));
        Await.until("every tile decoding 25 more frames", Duration.ofSeconds(20), () -> {
            List<Map<String, Object>> now = c.stats();
            return IntStream.range(0, 4).allMatch(i -> Client.decoded(now.get(i)) >= Client.decoded(first.get(i)) + 25);
        }, () -> String.valueOf(c.stats()));
        List<Number> contrast = c.pictureContrast();
        for (int i = 0; i < 4; i++) {
            assertThat(contrast.get(i).doubleValue()).as("luma deviation of tile %d's picture", i).isGreaterThan(5);
        }
        for (Map<String, Object> t : c.stats()) {
            assertThat(((Number) t.get("liveDelayMs")).doubleValue()).as("live delay of %s", t.get("camera"))
                    .isBetween(-500.0, 3000.0);
        }
        c.screenshot("wall-2x2");
    }

    @Test
    void a4x4WallUsesOneWebSocketAndSubStreamsAndAFullWindowTileSwitchesToMainWithoutABlackFrame(World world)
            throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=4x4&cameras=" + cameras(1, 16));
        c.awaitTiles("live", 16);
        StreamEndpoint streams = world.server.playback().streams();
        Await.until("the previous pages' connections closed", Duration.ofSeconds(15), () -> streams.connections() == 1);
        assertThat(streams.stats()).hasSize(16);
        assertThat(c.js("return window.vigieConnection().opened")).isEqualTo(1L);
        assertThat(c.stats()).as("tile widths %s", c.js("return [window.innerWidth, "
                + "...[...document.querySelectorAll('.wall .tile')].map((t) => t.clientWidth)]"))
                .allSatisfy(t -> assertThat(t.get("stream")).isEqualTo("sub"));
        c.screenshot("wall-4x4");

        new Actions(c.driver).doubleClick(c.tiles().get(5)).perform();
        Await.until("the full-window tile on the main stream", Duration.ofSeconds(20),
                () -> "main".equals(c.tile(5).get("stream")), () -> String.valueOf(c.tile(5)));
        long before = Client.decoded(c.tile(5));
        Await.until("the main stream decoding", Duration.ofSeconds(20),
                () -> Client.decoded(c.tile(5)) > before + 25);
        assertThat(c.tiles().get(5).getAttribute("data-state")).isIn("live", "buffering");
        Await.until("the hidden tiles' channels closed", Duration.ofSeconds(10),
                () -> streams.stats().size() == 1, () -> String.valueOf(streams.stats()));

        new Actions(c.driver).doubleClick(c.tiles().get(5)).perform();
        c.awaitTiles("live", 16);
        Await.until("sixteen channels again", Duration.ofSeconds(20), () -> streams.stats().size() == 16);
        assertThat(streams.connections()).isEqualTo(1);
    }

    @Test
    void aCameraWithoutTheRightShowsForbiddenAndPlaysNothing(World world) throws Exception {
        // agent is granted district-a (cam-01..08): cam-09 is not theirs
        Client c = new Client(world).fresh("#/wall?layout=2x2&cameras=cam-01,cam-09");
        c.signIn(World.AGENT, World.AGENT_PASSWORD);
        c.awaitWall();
        Await.until("cam-09 forbidden", Duration.ofSeconds(20),
                () -> "forbidden".equals(c.tiles().get(1).getAttribute("data-state")), () -> String.valueOf(c.stats()));
        c.awaitTiles("live", 1);
        Await.until("cam-01 decoding on", Duration.ofSeconds(10), () -> Client.decoded(c.tile(0)) > 50);
        assertThat(Client.decoded(c.tile(1))).isZero();
        assertThat(c.pictureContrast().get(1).doubleValue()).isZero();
        assertThat(world.server.playback().streams().stats()).extracting(s -> s.user()).containsOnly(World.AGENT).hasSize(1);
        assertThat(c.tiles().get(1).getText()).contains("sans droit");
        // the refusal and the granted view are both in the audit trail
        assertThat(world.api("GET", "/api/v1/audit?user=agent&camera=cam-09&action=access.denied", null,
                world.adminToken).toString()).contains("live_view");
        assertThat(world.api("GET", "/api/v1/audit?user=agent&camera=cam-01&action=view.live", null,
                world.adminToken).size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aWallUrlOpenedWhileAnotherIsStillLoadingReplacesItWholly(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=1&cameras=cam-07");
        c.awaitTiles("live", 1);
        // two wall URLs in a row (an operator's double click on two links, a control room's script)
        c.js("location.hash = '#/wall?layout=1&cameras=cam-01';"
                + "setTimeout(() => { location.hash = '#/wall?layout=2x2&cameras=cam-02,cam-03'; }, 0); return 0;");
        Await.until("the second wall", Duration.ofSeconds(20), () -> c.tiles().size() == 4
                && "cam-02".equals(c.tiles().get(0).getAttribute("data-camera")), () -> String.valueOf(c.stats()));
        c.awaitTiles("live", 2);
        StreamEndpoint streams = world.server.playback().streams();
        Await.until("only the second wall's two channels, on one connection", Duration.ofSeconds(15),
                () -> streams.connections() == 1 && streams.stats().size() == 2,
                () -> streams.connections() + " connections, " + streams.stats());
        assertThat(c.driver.getCurrentUrl()).endsWith("#/wall?layout=2x2&cameras=cam-02,cam-03,,");
        assertThat(c.driver.findElements(By.cssSelector(".wall"))).hasSize(1);
    }

    @Test
    void afterANetworkCutEveryTileIsLiveAgainOnANewWebSocket(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=2x2&cameras=" + cameras(5, 4));
        c.awaitTiles("live", 4);
        long opened = ((Number) c.js("return window.vigieConnection().opened")).longValue();
        world.network.cut();
        try {
            Await.until("the tiles no longer live", Duration.ofSeconds(15), () -> c.stats().stream()
                    .noneMatch(t -> "live".equals(t.get("state"))), () -> String.valueOf(c.stats()));
            assertThat(c.js("return window.vigieConnection().state")).isNotEqualTo("open");
        } finally {
            world.network.restore();
        }
        List<Map<String, Object>> before = c.stats();
        Await.until("every tile live and decoding again", Duration.ofSeconds(30), () -> {
            List<Map<String, Object>> now = c.stats();
            return IntStream.range(0, 4).allMatch(i -> "live".equals(now.get(i).get("state"))
                    && Client.decoded(now.get(i)) > Client.decoded(before.get(i)) + 25);
        }, () -> String.valueOf(c.stats()));
        assertThat(((Number) c.js("return window.vigieConnection().opened")).longValue()).isGreaterThan(opened);
        Await.until("one connection on the server", Duration.ofSeconds(10), () -> world.server.playback().streams().connections() == 1);
        assertThat(c.pictureContrast()).allSatisfy(v -> assertThat(v.doubleValue()).isGreaterThan(5));
    }

    @Test
    void aSavedLayoutComesBackAfterAReload(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=1%2B5&cameras=cam-03,cam-04,,cam-06");
        c.awaitTiles("live", 2);
        c.button("save-layout").click();
        c.driver.findElement(By.cssSelector(".dialog input[name=name]")).sendKeys("Carrefour nord");
        c.driver.findElement(By.cssSelector(".dialog button[name=submit]")).click();
        Await.until("the saved layout's URL", Duration.ofSeconds(10),
                () -> c.driver.getCurrentUrl().contains("#/wall?saved="));
        String url = c.driver.getCurrentUrl();

        c.driver.get(world.base() + "#/wall?layout=1");
        c.driver.get(url);
        c.driver.navigate().refresh();
        c.awaitWall();
        Await.until("the saved layout back", Duration.ofSeconds(15), () -> c.tiles().size() == 6
                && "cam-03".equals(c.tiles().get(0).getAttribute("data-camera")),
                () -> url + " -> " + c.stats() + "\n" + c.driver.findElement(By.tagName("body")).getText() + "\n"
                        + c.diagnosis());
        assertThat(c.driver.findElement(By.id("wall")).getAttribute("data-layout")).isEqualTo("1+5");
        assertThat(c.tiles()).extracting(t -> t.getAttribute("data-camera"))
                .containsExactly("cam-03", "cam-04", "", "cam-06", "", "");
        assertThat(c.driver.findElement(By.id("layout-title")).getText()).isEqualTo("Carrefour nord");
        assertThat(world.api("GET", "/api/v1/layouts", null, world.adminToken).findValuesAsText("name"))
                .contains("Carrefour nord");
    }
}

package org.vigie.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/**
 * Issue 14 in Chromium: a permanent privacy mask over the top-left quarter of {@code cam-07}'s picture is drawn
 * opaque over a live tile and an archive tile. The test reads the tiles' pixels from screenshots: under the mask
 * (inside the picture's displayed rectangle, letterboxing included) every pixel is black; the other quarters show
 * the simulated camera's snow.
 */
@ExtendWith(World.Resolver.class)
class MaskIT {

    static final String CAMERA = "cam-07";
    /** The picture of the simulated cameras (main and sub alike). */
    static final int PICTURE_W = 320;
    static final int PICTURE_H = 240;

    @Test
    void pixelsUnderAMaskAreBlackOnALiveAndAnArchiveTileAndNotOutside(World world) throws Exception {
        world.api("PUT", "/api/v1/cameras/" + CAMERA + "/masks", Map.of("masks", List.of(Map.of("id", "home",
                "kind", "permanent", "polygon", List.of(List.of(0, 0), List.of(0.5, 0), List.of(0.5, 0.5),
                        List.of(0, 0.5))))), world.adminToken);
        try {
            Client c = new Client(world).signInAsAdmin("#/wall?layout=2x2&cameras=" + CAMERA + "," + CAMERA);
            c.awaitTiles("live", 2);
            // tile 1 to the archive: 6 s ago
            Await.until("10 s of " + CAMERA + " recorded", Duration.ofSeconds(60), () -> {
                JsonNode spans = world.api("GET", "/api/v1/cameras/" + CAMERA + "/recordings", null,
                        world.adminToken).path("spans");
                return spans.size() > 0 && Instant.parse(spans.get(0).path("start").asText())
                        .isBefore(Instant.now().minusSeconds(10));
            });
            Instant target = Instant.now().minusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
            c.tiles().get(1).click();
            WebElement go = c.driver.findElement(By.name("goto"));
            go.clear();
            go.sendKeys(target.toString());
            c.button("goto-submit").click();
            Await.until("tile 1 playing the archive", Duration.ofSeconds(30), () -> {
                Map<String, Object> t = c.tile(1);
                return "archive".equals(t.get("state")) && t.get("firstFrameAfterSeek") != null
                        && Client.decoded(t) > 25;
            }, () -> c.stats() + "\n" + c.diagnosis());
            long live = Client.decoded(c.tile(0));
            Await.until("the live tile decoding on", Duration.ofSeconds(20), () -> Client.decoded(c.tile(0)) > live + 25);
            c.screenshot("masks-live-archive");

            for (int i = 0; i < 2; i++) {
                BufferedImage shot = tileShot(c, i);
                ImageIO.write(shot, "png", Files.createDirectories(Path.of("target", "screenshots"))
                        .resolve("mask-tile-" + i + ".png").toFile());
                Picture p = Picture.of(shot);
                String what = (i == 0 ? "live" : "archive") + " tile, picture at " + p;
                assertThat(p.maxChannel(shot, 0.04, 0.12, 0.46, 0.46)).as("brightest pixel under the mask, %s", what)
                        .isLessThanOrEqualTo(8);
                assertThat(p.shownShare(shot, 0.56, 0.56, 0.95, 0.85)).as("picture in the bottom-right quarter, %s",
                        what).isGreaterThan(0.5);
                assertThat(p.shownShare(shot, 0.56, 0.15, 0.95, 0.45)).as("picture in the top-right quarter, %s", what)
                        .isGreaterThan(0.5);
                assertThat(p.shownShare(shot, 0.05, 0.56, 0.45, 0.85)).as("picture in the bottom-left quarter, %s",
                        what).isGreaterThan(0.5);
            }
            assertThat(c.stats().subList(0, 2)).extracting(t -> t.get("camera")).containsOnly(CAMERA);
        } finally {
            world.api("PUT", "/api/v1/cameras/" + CAMERA + "/masks", Map.of("masks", List.of()), world.adminToken);
        }
    }

    /**
     * Fail closed: a channel whose {@code opened} event carries no readable masks shows nothing. The page's own
     * player ({@code js/player.js}) is fed the events in Chromium through a stand-in connection.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aChannelWhoseMasksCannotBeReadShowsNothing(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=1&cameras=");
        Map<String, Object> out = (Map<String, Object>) c.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('./js/player.js').then(async ({ Feed }) => {
                  const results = {};
                  for (const [name, masks] of [['missing', undefined], ['bad point', {version: 1, polygons: [
                      {id: 'a', kind: 'permanent', polygon: [[0, 0], [2, 0], [1, 1]]}]}],
                      ['good', {version: 1, polygons: []}]]) {
                    const video = document.createElement('video');
                    const seen = [];
                    const conn = { open: () => 1, close: () => {}, release: () => {}, command: () => {} };
                    const feed = new Feed(conn, video, { camera: 'cam-01', stream: 'main', mode: 'live' },
                      (kind, detail) => seen.push(kind + (detail && detail.masks ? ':masks' : '')));
                    const e = { event: 'opened', channel: 1, mime: 'video/mp4; codecs="avc1.42c00d"', width: 320,
                      height: 240 };
                    if (masks !== undefined) e.masks = masks;
                    await Promise.race([feed.event(e), new Promise((r) => setTimeout(r, 2000))]);
                    results[name] = { seen: seen.join(','), stopped: feed.stopped, src: video.getAttribute('src') };
                    feed.stop();
                  }
                  done(results);
                }).catch((err) => done({ error: String(err) }));
                """);
        assertThat(out).as("%s", out).doesNotContainKey("error");
        for (String bad : List.of("missing", "bad point")) {
            Map<String, Object> r = (Map<String, Object>) out.get(bad);
            assertThat(r.get("seen")).as(bad).isEqualTo("error:masks");
            assertThat(r.get("stopped")).as(bad).isEqualTo(true);
            assertThat(r.get("src")).as("%s: no video source", bad).isNull();
        }
        Map<String, Object> good = (Map<String, Object>) out.get("good");
        assertThat((String) good.get("seen")).as("readable masks").startsWith("masks").doesNotContain("error");
    }

    /** The administrators' editor: a polygon drawn with four clicks over the snapshot is saved through the API. */
    @Test
    void anAdministratorDrawsAMaskOverASnapshotAndSavesIt(World world) throws Exception {
        String camera = "cam-05";
        try {
            Client c = new Client(world).fresh("#/masks?camera=" + camera).signIn("admin", World.ADMIN_PASSWORD);
            Await.until("the snapshot under the editor", Duration.ofSeconds(30), () -> Boolean.TRUE.equals(c.js(
                    "const i = document.getElementById('mask-picture'); return !!i && i.complete && i.naturalWidth > 0;")),
                    c::diagnosis);
            c.button("mask-add").click();
            WebElement drawing = c.driver.findElement(By.id("mask-drawing"));
            int w = drawing.getRect().getWidth();
            int h = drawing.getRect().getHeight();
            // the right half's top quarter: (0.5, 0) (1, 0) (1, 0.25) (0.5, 0.25), clicked a little inside
            double[][] at = {{0.55, 0.05}, {0.95, 0.05}, {0.95, 0.25}, {0.55, 0.25}};
            for (double[] p : at) {
                new org.openqa.selenium.interactions.Actions(c.driver)
                        .moveToElement(drawing, (int) Math.round((p[0] - 0.5) * w), (int) Math.round((p[1] - 0.5) * h))
                        .click().perform();
            }
            c.driver.findElement(By.name("mask-kind-0")).sendKeys("liftable");
            c.button("mask-save").click();
            Await.until("version 1 saved", Duration.ofSeconds(15), () -> world.api("GET", "/api/v1/cameras/" + camera
                    + "/masks", null, world.adminToken).path("version").asLong() == 1, c::diagnosis);
            JsonNode saved = world.api("GET", "/api/v1/cameras/" + camera + "/masks", null, world.adminToken)
                    .path("masks");
            assertThat(saved.size()).isEqualTo(1);
            assertThat(saved.get(0).path("kind").asText()).isEqualTo("liftable");
            JsonNode poly = saved.get(0).path("polygon");
            assertThat(poly.size()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                assertThat(poly.get(i).get(0).asDouble()).as("x of point %d", i).isCloseTo(at[i][0],
                        org.assertj.core.data.Offset.offset(0.02));
                assertThat(poly.get(i).get(1).asDouble()).as("y of point %d", i).isCloseTo(at[i][1],
                        org.assertj.core.data.Offset.offset(0.02));
            }
            assertThat(c.driver.findElement(By.id("mask-version")).getText()).contains("1");
            c.screenshot("mask-editor");

            // the liftable mask can be lifted by whoever holds the unmask right (an administrator): the export
            // dialog offers it
            c.fresh("#/wall?layout=1&cameras=" + camera).signIn("admin", World.ADMIN_PASSWORD);
            c.awaitWall();
            c.tiles().get(0).click();
            c.button("export").click();
            Await.until("the lift box in the export dialog", Duration.ofSeconds(10), () -> !c.driver.findElements(
                    By.cssSelector(".dialog input[name=unmask]")).isEmpty(), c::diagnosis);
            c.driver.findElement(By.cssSelector(".dialog button[name=cancel]")).click();
        } finally {
            world.api("PUT", "/api/v1/cameras/" + camera + "/masks", Map.of("masks", List.of()), world.adminToken);
        }
    }

    /**
     * The pixels of tile {@code i} as the screen shows them: the tile scrolled into view, a screenshot of the
     * viewport cropped to the tile's box (in device pixels).
     */
    @SuppressWarnings("unchecked")
    static BufferedImage tileShot(Client c, int i) throws Exception {
        List<Number> box = (List<Number>) c.js("""
                const t = document.querySelectorAll('.wall .tile')[arguments[0]];
                t.scrollIntoView({block: 'nearest', inline: 'nearest'});
                const r = t.getBoundingClientRect();
                const d = window.devicePixelRatio || 1;
                return [r.left * d, r.top * d, r.width * d, r.height * d];
                """, i);
        BufferedImage all = ImageIO.read(new ByteArrayInputStream(c.driver.getScreenshotAs(OutputType.BYTES)));
        int x = (int) Math.ceil(box.get(0).doubleValue()) + 1;
        int y = (int) Math.ceil(box.get(1).doubleValue()) + 1;
        int w = Math.min((int) Math.floor(box.get(2).doubleValue()) - 2, all.getWidth() - x);
        int h = Math.min((int) Math.floor(box.get(3).doubleValue()) - 2, all.getHeight() - y);
        assertThat(h).as("tile %d fully in the viewport (%s in %dx%d)", i, box, all.getWidth(), all.getHeight())
                .isGreaterThan((int) (box.get(3).doubleValue() - 4));
        return all.getSubimage(x, y, w, h);
    }

    /** Where the picture lies in a tile's screenshot: object-fit contain of 320x240, centred. */
    record Picture(double x, double y, double w, double h) {
        static Picture of(BufferedImage tile) {
            double scale = Math.min(tile.getWidth() / (double) PICTURE_W, tile.getHeight() / (double) PICTURE_H);
            double w = PICTURE_W * scale;
            double h = PICTURE_H * scale;
            return new Picture((tile.getWidth() - w) / 2, (tile.getHeight() - h) / 2, w, h);
        }

        /** The brightest channel value of the pixels in the picture-relative box. */
        int maxChannel(BufferedImage img, double x0, double y0, double x1, double y1) {
            int max = 0;
            for (int py = (int) Math.ceil(y + y0 * h); py < (int) (y + y1 * h); py++) {
                for (int px = (int) Math.ceil(x + x0 * w); px < (int) (x + x1 * w); px++) {
                    int rgb = img.getRGB(px, py);
                    max = Math.max(max, Math.max((rgb >> 16) & 0xff, Math.max((rgb >> 8) & 0xff, rgb & 0xff)));
                }
            }
            return max;
        }

        /** The share of pixels that are not black (a channel above 16) in the picture-relative box. */
        double shownShare(BufferedImage img, double x0, double y0, double x1, double y1) {
            long n = 0;
            long bright = 0;
            for (int py = (int) Math.ceil(y + y0 * h); py < (int) (y + y1 * h); py++) {
                for (int px = (int) Math.ceil(x + x0 * w); px < (int) (x + x1 * w); px++) {
                    int rgb = img.getRGB(px, py);
                    int max = Math.max((rgb >> 16) & 0xff, Math.max((rgb >> 8) & 0xff, rgb & 0xff));
                    n++;
                    if (max > 16) bright++;
                }
            }
            return n == 0 ? 0 : bright / (double) n;
        }
    }
}

package org.vigie.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Issue 12 §2, §5, §7 and §8, as an operator does them in Chromium: the camera tree shows only the cameras the
 * agent is granted and a click puts one on the wall, live; a tile sent to an archive time plays from there; an
 * export is refused without a reason and downloaded with one (and plays in ffprobe); the PTZ pad moves the
 * simulated dome while pressed and stops it on release. Each of these is found in the audit trail.
 */
@ExtendWith(World.Resolver.class)
class OperatorIT {

    /**
     * How far before the asked time an archive seek may land: the key frame at or before it, one GOP of the simulated
     * cameras (World: 1 s) at most, plus 250 ms for the jitter of the frames' arrival times (the recorded wall
     * times) on a loaded 2-core machine.
     */
    private static final long GOP_MS = 1_000 + 250;

    @Test
    void theTreeShowsOnlyTheGrantedCamerasAndAClickPutsOneLiveOnTheWallAndTheViewIsAudited(World world)
            throws Exception {
        Client c = new Client(world).fresh("#/wall?layout=2x2&cameras=");
        c.signIn(World.AGENT, World.AGENT_PASSWORD);
        c.awaitWall();
        Await.until("the camera tree", Duration.ofSeconds(15),
                () -> !c.driver.findElements(By.cssSelector(".tree-camera")).isEmpty());
        List<String> listed = c.driver.findElements(By.cssSelector(".tree-camera")).stream()
                .map(e -> e.getAttribute("data-camera")).toList();
        // agent is granted district-a: cam-01..08 and the dome, nothing of district-b
        assertThat(listed).containsExactlyInAnyOrder("cam-01", "cam-02", "cam-03", "cam-04", "cam-05", "cam-06",
                "cam-07", "cam-08", "dome");
        assertThat(c.driver.findElements(By.cssSelector(".tree-node")).stream()
                .map(e -> e.getAttribute("data-group")).toList()).containsExactly("district-a");
        assertThat(c.driver.findElement(By.cssSelector(".tree-camera[data-camera='cam-05']"))
                .getAttribute("data-state")).isEqualTo("streaming");

        c.driver.findElement(By.name("camera-search")).sendKeys("Rue 5");
        Await.until("the search narrowing the tree", Duration.ofSeconds(5),
                () -> c.driver.findElements(By.cssSelector(".tree-camera")).size() == 1);
        c.screenshot("tree");
        c.tiles().get(2).click(); // the tile the camera goes to
        c.driver.findElement(By.cssSelector(".tree-camera[data-camera='cam-05']")).click();
        Await.until("cam-05 on the third tile", Duration.ofSeconds(10),
                () -> "cam-05".equals(c.tiles().get(2).getAttribute("data-camera")), () -> String.valueOf(c.stats()));
        Await.until("cam-05 live and decoding", Duration.ofSeconds(30), () -> {
            Map<String, Object> t = c.tile(2);
            return "live".equals(t.get("state")) && Client.decoded(t) > 25;
        }, () -> c.stats() + "\n" + c.diagnosis());
        assertThat(c.pictureContrast().get(2).doubleValue()).isGreaterThan(5);

        JsonNode views = world.api("GET", "/api/v1/audit?user=agent&camera=cam-05&action=view.live&limit=100", null,
                world.adminToken);
        assertThat(views.size()).as("the live view of cam-05 by agent in the audit trail").isGreaterThanOrEqualTo(1);
        assertThat(views.toString()).contains("websocket");
        // the agent's API call for a camera of district-b is refused and traced
        String agentToken = (String) c.js("return sessionStorage.getItem('vigie.token')");
        assertThat(world.call("GET", "/api/v1/cameras/cam-12", null, agentToken).statusCode()).isEqualTo(403);
        assertThat(world.api("GET", "/api/v1/audit?user=agent&camera=cam-12&action=access.denied", null,
                world.adminToken).size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aTileSentToAnArchiveTimePlaysFromThatTimeAndTheViewIsAudited(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=1&cameras=cam-02");
        c.awaitTiles("live", 1);
        // a moment of the archive: 6 s ago, once the server holds it
        awaitArchiveDepth(world, "cam-02", 10);
        Instant target = Instant.now().minusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        awaitRecorded(world, "cam-02", target);
        c.tiles().get(0).click();
        WebElement go = c.driver.findElement(By.name("goto"));
        go.clear();
        go.sendKeys(target.toString());
        c.button("goto-submit").click();

        Await.until("the tile in archive, playing from the seek", Duration.ofSeconds(30), () -> {
            Map<String, Object> t = c.tile(0);
            return "archive".equals(t.get("state")) && t.get("firstFrameAfterSeek") != null;
        }, () -> c.stats() + "\n" + c.diagnosis());
        Map<String, Object> t = c.tile(0);
        assertThat(t.get("mode")).isEqualTo("archive");
        Instant landed = Instant.parse((String) t.get("firstFrameAfterSeek"));
        assertThat(Duration.between(landed, target).toMillis()).as("the first frame after the seek (%s) against %s",
                landed, target).isBetween(-40L, GOP_MS);
        assertThat(c.tiles().get(0).getAttribute("data-state")).isIn("archive", "buffering");

        long decoded = Client.decoded(t);
        Instant shown = Instant.parse((String) t.get("position"));
        Await.until("the archive playing on", Duration.ofSeconds(15), () -> {
            Map<String, Object> now = c.tile(0);
            return Client.decoded(now) > decoded + 25
                    && Instant.parse((String) now.get("position")).isAfter(shown.plusMillis(800));
        }, () -> String.valueOf(c.stats()));
        Instant position = Instant.parse((String) c.tile(0).get("position"));
        assertThat(position).as("archive time shown, not live").isBefore(Instant.now().minusSeconds(2));
        c.screenshot("archive");

        JsonNode views = world.api("GET", "/api/v1/audit?user=admin&camera=cam-02&action=view.archive&limit=100",
                null, world.adminToken);
        assertThat(views.toString()).as("the archive view in the audit trail").contains(target.toString().substring(0, 16));

        c.button("live").click();
        Await.until("back to live", Duration.ofSeconds(20), () -> "live".equals(c.tile(0).get("state"))
                && "live".equals(c.tile(0).get("mode")), () -> String.valueOf(c.stats()));
    }

    @Test
    void inSynchronisedModeFourTilesStayWithinHalfASecondOfEachOtherWhilePlaying(World world) throws Exception {
        List<String> cams = List.of("cam-09", "cam-10", "cam-11", "cam-12");
        Client c = new Client(world).signInAsAdmin("#/wall?layout=2x2&cameras=" + String.join(",", cams));
        c.awaitTiles("live", 4);
        for (String cam : cams) awaitArchiveDepth(world, cam, 12);
        // 10 s back: the tiles play up to the recorded edge during the window, where the cameras' data comes in
        // bursts (each camera's fragments close at its own time): a tile starved for a moment must hold the others
        Instant target = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
        for (String cam : cams) awaitRecorded(world, cam, target.plusSeconds(2));
        c.tiles().get(0).click();
        c.driver.findElement(By.name("sync")).click();
        type(c.driver.findElement(By.name("goto")), target.toString());
        c.button("goto-submit").click();

        Await.until("the four tiles in archive from the seek", Duration.ofSeconds(20), () -> c.stats().stream()
                .allMatch(t -> "archive".equals(t.get("mode")) && t.get("firstFrameAfterSeek") != null
                        && t.get("position") != null), () -> c.stats() + "\n" + c.diagnosis());
        // each tile lands on its own camera's key frame (up to a GOP apart): the wall holds the ones ahead
        Await.until("the four tiles at the same time", Duration.ofSeconds(10), () -> spread(c) <= 500,
                () -> String.valueOf(c.stats()));
        Instant start = Instant.parse((String) c.tile(0).get("position"));
        // a window of playback: 8 s, read 4 times a second, every reading of the four tiles in one instant
        long worst = 0;
        String worstAt = "";
        for (int sample = 0; sample < 32; sample++) {
            Thread.sleep(250);
            long spread = spread(c);
            if (spread > worst) {
                worst = spread;
                worstAt = "reading " + sample + ": " + c.stats() + "\n" + videos(c);
            }
        }
        System.out.println("synchronised mode: largest spread of the four tiles over 8 s: " + worst + " ms");
        assertThat(worst).as("largest spread of the four tiles' times over 8 s of synchronised playback, at %s",
                worstAt).isLessThanOrEqualTo(500);
        Instant later = Instant.parse((String) c.tile(0).get("position"));
        assertThat(Duration.between(start, later).toMillis()).as("the synchronised tiles play on: %s, %s", c.stats(),
                videos(c)).isGreaterThan(3_000);
        assertThat(later).isBefore(Instant.now().minusSeconds(1));
        c.screenshot("sync");
    }

    @Test
    void aBookmarkOfTheMomentATileShowsIsFoundBySearchAndOpensTheCameraInArchiveThere(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=1&cameras=cam-04");
        c.awaitTiles("live", 1);
        c.tiles().get(0).click();
        c.button("bookmark").click();
        WebElement dialog = c.driver.findElement(By.cssSelector(".dialog"));
        dialog.findElement(By.name("title")).sendKeys("Sac abandonné quai 3");
        dialog.findElement(By.name("submit")).click();
        Await.until("the bookmark stored", Duration.ofSeconds(10), () -> world.api("GET",
                "/api/v1/bookmarks?camera=cam-04", null, world.adminToken).toString().contains("Sac abandonné quai 3"));
        JsonNode bookmark = null;
        for (JsonNode b : world.api("GET", "/api/v1/bookmarks?camera=cam-04", null, world.adminToken)) {
            if ("Sac abandonné quai 3".equals(b.path("title").asText())) bookmark = b;
        }
        Instant at = Instant.parse(bookmark.path("time").asText());
        assertThat(Duration.between(at, Instant.now()).toMillis()).as("the moment the live tile showed")
                .isBetween(0L, 5_000L);
        awaitRecorded(world, "cam-04", at.plusSeconds(2));

        c.button("tab-search").click();
        new org.openqa.selenium.support.ui.Select(c.driver.findElement(By.name("search-kind")))
                .selectByValue("bookmarks");
        new org.openqa.selenium.support.ui.Select(c.driver.findElement(By.name("search-camera")))
                .selectByValue("cam-04");
        c.button("search").click();
        By result = By.cssSelector(".search-result[data-camera='cam-04']");
        Await.until("the bookmark found", Duration.ofSeconds(10), () -> !c.driver.findElements(result).isEmpty());
        assertThat(c.driver.findElement(result).getText()).contains("Sac abandonné quai 3");
        c.screenshot("search");
        c.driver.findElement(result).click();
        Await.until("the tile in archive at the bookmark", Duration.ofSeconds(30), () -> {
            Map<String, Object> t = c.tile(0);
            return "archive".equals(t.get("state")) && t.get("firstFrameAfterSeek") != null;
        }, () -> c.stats() + "\n" + c.diagnosis());
        Map<String, Object> t = c.tile(0);
        assertThat(Instant.parse((String) t.get("seekTo"))).isEqualTo(at);
        assertThat(Duration.between(Instant.parse((String) t.get("firstFrameAfterSeek")), at).toMillis())
                .isBetween(-40L, GOP_MS);
    }

    @Test
    void anExportIsRefusedWithoutAReasonThenDownloadedWithOneAndPlaysInFfprobe(World world) throws Exception {
        Client c = new Client(world).signInAsAdmin("#/wall?layout=1&cameras=cam-03");
        c.awaitTiles("live", 1);
        // a window well inside the archive: 4 s ending 6 s ago (the live edge's fragment is still being written)
        awaitArchiveDepth(world, "cam-03", 12);
        Instant to = Instant.now().minusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minusSeconds(4);
        awaitRecorded(world, "cam-03", to.plusSeconds(2));
        c.tiles().get(0).click();
        c.button("export").click();
        WebElement dialog = c.driver.findElement(By.cssSelector(".dialog"));
        type(dialog.findElement(By.name("from")), from.toString());
        type(dialog.findElement(By.name("to")), to.toString());
        dialog.findElement(By.name("submit")).click();
        assertThat(dialog.findElement(By.cssSelector(".dialog-error")).getText()).contains("motif");
        assertThat(world.downloaded()).isEmpty();
        // the server refuses it too, whatever the client does
        assertThat(world.call("GET", "/api/v1/cameras/cam-03/export.mp4?from=" + from + "&to=" + to, null,
                world.adminToken).statusCode()).isEqualTo(400);

        dialog.findElement(By.name("reason")).sendKeys("Réquisition judiciaire, vol à l'arraché");
        dialog.findElement(By.name("recipient")).sendKeys("OPJ Martin");
        dialog.findElement(By.name("case")).sendKeys("PV-2026-0042");
        c.screenshot("export");
        dialog.findElement(By.name("submit")).click();
        Await.until("the export downloaded", Duration.ofSeconds(30), () -> world.downloaded().stream()
                .anyMatch(p -> p.getFileName().toString().endsWith(".mp4")), () -> c.diagnosis());
        Path mp4 = world.downloaded().stream().filter(p -> p.getFileName().toString().endsWith(".mp4")).findFirst()
                .orElseThrow();
        String probe = ffprobe(mp4);
        assertThat(probe).as(probe).contains("codec_name=h264").contains("width=320").contains("height=240");
        double seconds = Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration="))
                .map(l -> l.substring(9)).filter(v -> !v.equals("N/A")).findFirst().orElse("0"));
        assertThat(seconds).as("duration of the exported clip %s: %s", mp4.getFileName(), probe).isBetween(3.0, 6.0);
        Files.delete(mp4);

        JsonNode exports = world.api("GET", "/api/v1/audit?user=admin&camera=cam-03&action=export&limit=10", null,
                world.adminToken);
        assertThat(exports.toString()).contains("Réquisition judiciaire").contains(from.toString());
        // the law's register of recordings: who, for whom, which case (the reason is in the audit trail)
        assertThat(world.api("GET", "/api/v1/register?camera=cam-03&limit=100", null, world.adminToken).toString())
                .contains("\"actor\":\"admin\"").contains("PV-2026-0042").contains("OPJ Martin");
    }

    @Test
    void thePtzPadMovesTheDomeWhilePressedAndStopsItOnRelease(World world) throws Exception {
        Client c = new Client(world).fresh("#/wall?layout=1&cameras=dome");
        c.signIn(World.AGENT, World.AGENT_PASSWORD);
        c.awaitWall();
        c.awaitTiles("live", 1);
        WebElement tile = c.tiles().get(0);
        new Actions(c.driver).moveToElement(tile).perform();
        Await.until("the PTZ button on the dome's tile", Duration.ofSeconds(10),
                () -> tile.findElement(By.name("ptz")).isDisplayed());
        tile.findElement(By.name("ptz")).click();
        WebElement right = tile.findElement(By.name("ptz-right"));
        Await.until("the PTZ pad", Duration.ofSeconds(5), right::isDisplayed);
        double[] start = world.onvif.camera("dome").ptzPosition();

        new Actions(c.driver).clickAndHold(right).perform();
        Await.until("the dome panning right", Duration.ofSeconds(10),
                () -> world.onvif.camera("dome").ptzPosition()[0] > start[0] + 0.02,
                () -> Arrays.toString(world.onvif.camera("dome").ptzPosition()));
        c.screenshot("ptz");
        new Actions(c.driver).release(right).perform();
        // stopped: the position no longer changes
        Await.until("the dome stopped", Duration.ofSeconds(10), () -> {
            double before = world.onvif.camera("dome").ptzPosition()[0];
            Thread.sleep(400);
            return world.onvif.camera("dome").ptzPosition()[0] == before;
        });
        double stopped = world.onvif.camera("dome").ptzPosition()[0];
        Thread.sleep(1_000);
        assertThat(world.onvif.camera("dome").ptzPosition()[0]).as("after release").isEqualTo(stopped);
        assertThat(stopped).isGreaterThan(start[0]);

        JsonNode ptz = world.api("GET", "/api/v1/audit?user=agent&camera=dome&action=ptz&limit=20", null,
                world.adminToken);
        assertThat(ptz.toString()).contains("continuous").contains("stop");
    }

    /** Milliseconds between the earliest and the latest time the tiles show, read in one instant. */
    private static long spread(Client c) {
        List<Instant> shown = c.stats().stream().map(t -> Instant.parse((String) t.get("position"))).toList();
        return Duration.between(shown.stream().min(Instant::compareTo).orElseThrow(),
                shown.stream().max(Instant::compareTo).orElseThrow()).toMillis();
    }

    /** Each visible video: paused, readyState, currentTime, end of its buffer (for failure messages). */
    private static Object videos(Client c) {
        return c.js("return [...document.querySelectorAll('.wall video:not(.behind)')].map((v) => [v.paused, "
                + "v.readyState, v.currentTime.toFixed(2), v.buffered.length ? v.buffered.end(v.buffered.length - 1)"
                + ".toFixed(2) : -1])");
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    /** Waits until the archive of {@code camera} begins at least {@code seconds} ago (the server just started). */
    private static void awaitArchiveDepth(World world, String camera, int seconds) throws Exception {
        Await.until(seconds + " s of " + camera + " recorded", Duration.ofSeconds(seconds + 30), () -> {
            JsonNode spans = world.api("GET", "/api/v1/cameras/" + camera + "/recordings", null, world.adminToken)
                    .path("spans");
            return spans.size() > 0 && Instant.parse(spans.get(0).path("start").asText())
                    .isBefore(Instant.now().minusSeconds(seconds));
        });
    }

    /** Waits until the server's timeline of {@code camera} covers {@code at}. */
    private static void awaitRecorded(World world, String camera, Instant at) throws Exception {
        String path = "/api/v1/cameras/" + camera + "/recordings?from="
                + URLEncoder.encode(at.minusSeconds(60).toString(), StandardCharsets.UTF_8);
        Await.until(camera + " recorded at " + at, Duration.ofSeconds(30), () -> {
            JsonNode r = world.api("GET", path, null, world.adminToken);
            for (JsonNode s : r.path("spans")) {
                if (!Instant.parse(s.path("start").asText()).isAfter(at) && Instant.parse(s.path("end").asText()).isAfter(at)) {
                    return true;
                }
            }
            return false;
        }, () -> {
            try {
                return world.api("GET", path, null, world.adminToken).toString();
            } catch (Exception e) {
                return e.toString();
            }
        });
    }

    private static String ffprobe(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name,width,height,duration:format=duration", "-of", "default=noprint_wrappers=1",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}

package org.vigie.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.vigie.testing.Await;

/**
 * Issue #5 acceptance: Debian's headless Chromium, driven by Selenium through chromium-driver, loads the server's
 * player page, logs in through the API, opens one live channel on the multiplexed WebSocket and plays it through
 * Media Source Extensions: the video element's decoded frame count grows.
 */
class BrowserPlaybackIT {

    @TempDir
    Path dir;

    @Test
    void thePlayerPagePlaysALiveChannelInChromium() throws Exception {
        try (StreamingFixture f = new StreamingFixture(dir)) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + dir.resolve("chromium"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            try {
                driver.get("http://127.0.0.1:" + f.server.httpPort() + "/");
                driver.findElement(By.id("username")).sendKeys("admin");
                driver.findElement(By.id("password")).sendKeys(StreamingFixture.PASSWORD);
                driver.findElement(By.id("camera")).sendKeys("cam-1");
                driver.findElement(By.id("play")).click();
                JavascriptExecutor js = driver;
                Await.until("the first decoded frames", Duration.ofSeconds(20),
                        () -> frames(js) > 0, () -> driver.findElement(By.id("status")).getText());
                long first = frames(js);
                Thread.sleep(4_000);
                long later = frames(js);
                assertThat(driver.findElement(By.id("status")).getText()).startsWith("playing cam-1/main avc1.");
                assertThat(later - first).as("frames decoded in 4 s of live (25 fps)").isGreaterThan(50);
            } finally {
                driver.quit();
            }
            Await.until("the browser's subscription released", Duration.ofSeconds(5),
                    () -> f.server.cameras().get("cam-1").orElseThrow().hub("main").viewerCount() == 0);
        }
    }

    private static long frames(JavascriptExecutor js) {
        return ((Number) js.executeScript("return window.vigieDecodedFrames();")).longValue();
    }
}

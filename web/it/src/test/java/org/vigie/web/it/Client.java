package org.vigie.web.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/** The operators' client in the browser, as a tester reads it: its pages, tiles and {@code window.vigieStats()}. */
final class Client {

    final World world;
    final ChromeDriver driver;

    Client(World world) {
        this.world = world;
        this.driver = world.driver;
    }

    /**
     * A new tab, signed out (the token lives in the tab's sessionStorage), at {@code hash}; the previous tab is
     * closed, with its WebSocket.
     */
    Client fresh(String hash) {
        String old = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        String tab = driver.getWindowHandle();
        driver.switchTo().window(old).close();
        driver.switchTo().window(tab);
        driver.get(world.base() + hash);
        return this;
    }

    Client signIn(String user, String password) throws Exception {
        Await.until("the sign-in page", Duration.ofSeconds(15), () -> !driver.findElements(By.name("username")).isEmpty());
        WebElement u = driver.findElement(By.name("username"));
        u.clear();
        u.sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.name("signin")).click();
        return this;
    }

    Client signInAsAdmin(String hash) throws Exception {
        fresh(hash).signIn("admin", World.ADMIN_PASSWORD);
        awaitWall();
        return this;
    }

    void awaitWall() throws Exception {
        Await.until("the wall", Duration.ofSeconds(15), () -> !driver.findElements(By.cssSelector(".tile")).isEmpty(),
                () -> driver.findElement(By.tagName("body")).getText());
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> stats() {
        return (List<Map<String, Object>>) js("return window.vigieStats ? window.vigieStats() : [];");
    }

    Map<String, Object> tile(int index) {
        return stats().get(index);
    }

    static long decoded(Map<String, Object> tile) {
        return ((Number) tile.get("framesDecoded")).longValue();
    }

    List<WebElement> tiles() {
        return driver.findElements(By.cssSelector(".wall .tile"));
    }

    WebElement button(String name) {
        return driver.findElement(By.name(name));
    }

    /** Waits until every listed tile is in {@code state} and decoding. */
    void awaitTiles(String state, int count) throws Exception {
        Await.until(count + " tiles " + state + " and decoding", Duration.ofSeconds(45), () -> {
            List<Map<String, Object>> s = stats();
            return s.size() >= count && s.subList(0, count).stream()
                    .allMatch(t -> state.equals(t.get("state")) && decoded(t) > 0);
        }, () -> String.valueOf(stats()) + "\n" + diagnosis());
    }

    /** Where the page is and what its console said, for failure messages. */
    String diagnosis() {
        StringBuilder b = new StringBuilder("url: ").append(driver.getCurrentUrl()).append('\n');
        try {
            driver.manage().logs().get("browser").forEach(e -> b.append(e.getLevel()).append(' ')
                    .append(e.getMessage()).append('\n'));
        } catch (RuntimeException e) {
            b.append("(no browser log: ").append(e.getMessage()).append(")\n");
        }
        return b.toString();
    }

    /**
     * Reads the picture of each tile's visible video into a canvas and returns the standard deviation of its luma
     * (0 for a uniform picture: black, grey or nothing).
     */
    @SuppressWarnings("unchecked")
    List<Number> pictureContrast() {
        return (List<Number>) js("""
                return [...document.querySelectorAll('.wall .tile')].map((tile) => {
                  const v = [...tile.querySelectorAll('video')].find((x) => !x.classList.contains('behind'));
                  if (!v || v.videoWidth === 0) return 0;
                  const c = document.createElement('canvas');
                  c.width = 64; c.height = 48;
                  const g = c.getContext('2d');
                  g.drawImage(v, 0, 0, 64, 48);
                  const d = g.getImageData(0, 0, 64, 48).data;
                  let sum = 0, sq = 0, n = 0;
                  for (let i = 0; i < d.length; i += 4) {
                    const y = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
                    sum += y; sq += y * y; n++;
                  }
                  const mean = sum / n;
                  return Math.sqrt(Math.max(0, sq / n - mean * mean));
                });
                """);
    }

    /** A screenshot for docs/client.md (written under target/screenshots; the docs keep the ones they show). */
    void screenshot(String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }
}

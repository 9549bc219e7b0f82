package org.vigie.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged launcher, loaded as {@code bin/vms demo} loads it (its jar and the manifest's {@code lib/} class
 * path, nothing of Maven's test class path), has an SLF4J provider: without one, SLF4J falls back to its no-op
 * logger and the demo shows no server log line at all (seen on a fresh Debian 12).
 */
class LauncherClasspathIT {

    @Test
    void thePackagedLauncherLogsThroughLogback() throws Exception {
        Path jar = Path.of("target", "vigie-launcher.jar").toAbsolutePath();
        assertThat(jar).exists();
        List<URL> urls = new ArrayList<>();
        urls.add(jar.toUri().toURL());
        try (JarFile j = new JarFile(jar.toFile())) {
            String classPath = j.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(classPath).as("the launcher's manifest Class-Path").isNotBlank();
            for (String entry : classPath.trim().split("\\s+")) {
                Path lib = jar.getParent().resolve(entry);
                assertThat(lib).as("manifest entry %s", entry).matches(Files::isRegularFile);
                urls.add(lib.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, loader);
            Object loggerFactory = factory.getMethod("getILoggerFactory").invoke(null);
            assertThat(loggerFactory.getClass().getName())
                    .as("the SLF4J logger factory the packaged launcher gets")
                    .isEqualTo("ch.qos.logback.classic.LoggerContext");
        }
    }
}

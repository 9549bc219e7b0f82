package org.vigie.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A cache directory of generated clips: {@link #obtain(ClipPreset)} encodes a preset with {@code gst-launch-1.0}
 * the first time and returns the cached file afterwards.
 *
 * <p>Invariant: a file named after a preset in the cache is always complete. Encoding writes a temporary file in
 * the same directory and renames it atomically, so concurrent JVMs (parallel test forks) at worst encode twice.
 */
public final class ClipLibrary {

    private static final long ENCODE_TIMEOUT_SECONDS = 180;

    private final Path directory;

    public ClipLibrary(Path directory) {
        this.directory = directory;
    }

    /** The default cache: {@code $XDG_CACHE_HOME/vigie/simulator} or {@code ~/.cache/vigie/simulator}. */
    public static ClipLibrary userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ClipLibrary(base.resolve("vigie").resolve("simulator"));
    }

    public Path directory() {
        return directory;
    }

    /** The clip file of the preset, encoding it first if it is not cached yet. */
    public Path obtain(ClipPreset preset) {
        Path target = directory.resolve(preset.cacheFileName());
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, ".encoding-", ".h264");
            try {
                encode(preset, tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create clip " + target, e);
        }
    }

    private static void encode(ClipPreset preset, Path output) throws IOException {
        Process process = new ProcessBuilder(preset.gstLaunchCommand(output))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!process.waitFor(ENCODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("gst-launch-1.0 did not finish encoding within " + ENCODE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while encoding the clip", e);
        }
        if (process.exitValue() != 0 || Files.size(output) == 0) {
            throw new IOException("gst-launch-1.0 failed (exit " + process.exitValue() + "): "
                    + String.join(" ", preset.gstLaunchCommand(output)));
        }
    }
}

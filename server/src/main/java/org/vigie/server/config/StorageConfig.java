package org.vigie.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code storage} section: where and how segments are written.
 *
 * @param fsyncEachFragment when true (the default) every fragment is fsynced before it is indexed, so a power
 *                          loss loses at most the open fragment; when false only segment closes are fsynced
 * @param path              the primary volume (the first of {@code volumes}); holds the register and the legal holds
 * @param volumes           every volume, never empty; {@code storage.path} alone is the one-volume shorthand
 * @param sweepInterval     how often the retention sweeper runs
 * @param sweepMaxSegments  at most this many segments destroyed per sweep (the next sweep continues)
 */
public record StorageConfig(Path path, Duration segmentDuration, Duration fragmentDuration, boolean fsyncEachFragment,
                            int writerThreads, int queueFrames, List<Volume> volumes, Duration sweepInterval,
                            int sweepMaxSegments) {

    /**
     * One entry of {@code storage.volumes}.
     *
     * @param minFreeBytes   free space to keep, bytes (0 when given as a percentage)
     * @param minFreePercent free space to keep, % of the volume (0 when given in bytes)
     */
    public record Volume(Path path, long minFreeBytes, int minFreePercent) {

        private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KB|MB|GB|TB|%)");

        static Volume read(ConfigNode n) throws ConfigException {
            Path path = Path.of(n.requiredString("path"));
            String text = n.string("min-free", "5%").trim().toUpperCase(Locale.ROOT);
            Matcher m = SIZE.matcher(text);
            if (!m.matches()) {
                throw new ConfigException(n.keyPath("min-free"), "must be a size (10GB, 500MB) or a percentage (5%), got '"
                        + text + "'");
            }
            long v = Long.parseLong(m.group(1));
            if (m.group(2).equals("%")) {
                if (v > 90) {
                    throw new ConfigException(n.keyPath("min-free"), "must be at most 90%, got " + v + "%");
                }
                return new Volume(path, 0, (int) v);
            }
            int shift = switch (m.group(2)) {
                case "KB" -> 10;
                case "MB" -> 20;
                case "GB" -> 30;
                case "TB" -> 40;
                default -> 0;
            };
            if (v > (Long.MAX_VALUE >> shift)) {
                throw new ConfigException(n.keyPath("min-free"), "too large: " + text);
            }
            return new Volume(path, v << shift, 0);
        }
    }

    static StorageConfig read(ConfigNode n) throws ConfigException {
        Path path = Path.of(n.string("path", "/var/lib/vms/recordings"));
        Duration segment = n.duration("segment-duration", Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofHours(1));
        Duration fragment = n.duration("fragment-duration", Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(30));
        if (fragment.compareTo(segment) > 0) {
            throw new ConfigException(n.keyPath("fragment-duration"), "must not exceed segment-duration ("
                    + Durations.format(segment) + ")");
        }
        String fsync = n.string("fsync", "fragment");
        if (!fsync.equals("fragment") && !fsync.equals("segment")) {
            throw new ConfigException(n.keyPath("fsync"), "must be 'fragment' or 'segment', got '" + fsync + "'");
        }
        List<Volume> volumes = n.list("volumes", Volume::read);
        if (volumes.isEmpty()) {
            volumes = List.of(new Volume(path, 0, 5));
        } else if (n.has("path")) {
            throw new ConfigException(n.keyPath("path"), "give either storage.path or storage.volumes, not both");
        }
        for (int i = 0; i < volumes.size(); i++) {
            for (int j = 0; j < volumes.size(); j++) {
                Path a = volumes.get(i).path().toAbsolutePath().normalize();
                Path b = volumes.get(j).path().toAbsolutePath().normalize();
                if (i != j && a.startsWith(b)) {
                    throw new ConfigException(n.keyPath("volumes") + "[" + i + "].path", "is the same as, or inside, volume "
                            + b);
                }
            }
        }
        StorageConfig c = new StorageConfig(volumes.get(0).path(), segment, fragment, fsync.equals("fragment"),
                n.integer("writer-threads", 2, 1, 64),
                n.integer("queue-frames", 256, 16, 100_000),
                List.copyOf(volumes),
                n.duration("retention-sweep-interval", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                n.integer("retention-sweep-max-segments", 2000, 10, 1_000_000));
        n.finish();
        return c;
    }
}

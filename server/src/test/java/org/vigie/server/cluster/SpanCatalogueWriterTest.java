package org.vigie.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.SegmentInfo;
import org.vigie.server.store.Database;
import org.vigie.server.store.SpanCatalogue;
import org.vigie.server.store.SpanCatalogue.Entry;

/** This node's rows of the span catalogue follow its archive: a row per run, extended, rewritten after retention. */
class SpanCatalogueWriterTest {

    static final Instant T = Instant.parse("2026-12-06T10:00:00Z");
    static final StreamKey CAM = StreamKey.main("cam-1");

    @TempDir
    Path dir;

    final AtomicReference<Instant> now = new AtomicReference<>(T);
    final InstantSource clock = () -> now.get();

    static long us(Instant t) {
        return t.getEpochSecond() * 1_000_000L;
    }

    static SegmentInfo segment(Path dir, int fromSecond, int toSecond) {
        return new SegmentInfo(dir.resolve(fromSecond + ".mp4"), us(T.plusSeconds(fromSecond)),
                us(T.plusSeconds(toSecond)), 10, 1000);
    }

    @Test
    void aRunIsOneRowExtendedAtEachPassAndRetentionRewritesTheRows() throws Exception {
        Catalog catalog = Catalog.load(dir.resolve("storage"));
        try (Database db = Database.open(dir.resolve("vms.db"))) {
            SpanCatalogue catalogue = new SpanCatalogue(db);
            SpanCatalogueWriter writer = new SpanCatalogueWriter(catalogue, new ArchiveReader(catalog), "rec-01",
                    () -> List.of("cam-1"), clock);
            catalog.publish(CAM, segment(dir, 0, 10));
            now.set(T.plusSeconds(10));
            writer.pass(); // the full pass at start
            for (int s = 10; s < 60; s += 10) { // five more segments of the same run, a pass after each
                catalog.publish(CAM, segment(dir, s, s + 10));
                now.set(T.plusSeconds(s + 10));
                writer.pass();
            }
            assertThat(rows(catalogue)).containsExactly(new Entry("rec-01", T, T.plusSeconds(60)));

            catalog.publish(CAM, segment(dir, 65, 75)); // the camera was away 5 s: a new run
            now.set(T.plusSeconds(75));
            writer.pass();
            assertThat(rows(catalogue)).containsExactly(new Entry("rec-01", T, T.plusSeconds(60)),
                    new Entry("rec-01", T.plusSeconds(65), T.plusSeconds(75)));

            catalog.remove(CAM, us(T)); // retention deleted the oldest segment: the hourly full pass says so
            now.set(T.plus(Duration.ofHours(1)).plusSeconds(20));
            writer.pass();
            assertThat(rows(catalogue)).containsExactly(new Entry("rec-01", T.plusSeconds(10), T.plusSeconds(60)),
                    new Entry("rec-01", T.plusSeconds(65), T.plusSeconds(75)));
        }
    }

    static List<Entry> rows(SpanCatalogue c) throws Exception {
        return c.overlapping(CAM, T.minusSeconds(3600), T.plusSeconds(7200));
    }
}

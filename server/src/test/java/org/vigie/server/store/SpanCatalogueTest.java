package org.vigie.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.TimeSpan;

/** The span catalogue (issue 13) on both databases: a row per run, extended in place, each node its own rows. */
class SpanCatalogueTest {

    static final Instant T = Instant.parse("2026-12-06T10:00:00.123456Z");
    static final StreamKey CAM = StreamKey.main("cam-1");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Database.Kind.class)
    void aRunIsOneRowExtendedInPlaceAndNodesKeepTheirOwnRows(Database.Kind kind) throws Exception {
        try (Database db = TestStore.of(kind, dir).open()) {
            SpanCatalogue c = new SpanCatalogue(db);
            c.extend("rec-01", CAM, new TimeSpan(T, T.plusSeconds(10)));
            c.extend("rec-01", CAM, new TimeSpan(T, T.plusSeconds(20))); // the same run goes on
            c.extend("rec-02", CAM, new TimeSpan(T.plusSeconds(25), T.plusSeconds(40)));
            c.extend("rec-01", StreamKey.main("cam-2"), new TimeSpan(T, T.plusSeconds(5)));
            assertThat(c.overlapping(CAM, T.minusSeconds(60), T.plusSeconds(60))).containsExactly(
                    new SpanCatalogue.Entry("rec-01", T, T.plusSeconds(20)),
                    new SpanCatalogue.Entry("rec-02", T.plusSeconds(25), T.plusSeconds(40)));
            assertThat(c.overlapping(CAM, T.plusSeconds(21), T.plusSeconds(24))).isEmpty();
            assertThat(c.overlapping(new StreamKey("cam-1", StreamKey.SUB), T, T.plusSeconds(60))).isEmpty();

            c.replace("rec-01", CAM, List.of(new TimeSpan(T.plusSeconds(5), T.plusSeconds(20)))); // retention
            assertThat(c.overlapping(CAM, T.minusSeconds(60), T.plusSeconds(60))).containsExactly(
                    new SpanCatalogue.Entry("rec-01", T.plusSeconds(5), T.plusSeconds(20)),
                    new SpanCatalogue.Entry("rec-02", T.plusSeconds(25), T.plusSeconds(40)));
        }
    }
}

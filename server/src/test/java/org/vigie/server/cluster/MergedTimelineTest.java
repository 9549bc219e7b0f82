package org.vigie.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vigie.server.cluster.MergedTimeline.Gap;
import org.vigie.server.cluster.MergedTimeline.Piece;
import org.vigie.server.cluster.MergedTimeline.Span;

class MergedTimelineTest {

    static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    static Instant t(int s) {
        return T.plusSeconds(s);
    }

    @Test
    void aFailoverAcrossTwoNodesIsOneSpanWithBothNodes() {
        var r = MergedTimeline.merge(t(0), t(100), List.of(
                new Piece("rec-01", t(10), t(50), true),
                new Piece("rec-02", t(50), t(90), true)));
        assertThat(r.spans()).containsExactly(new Span(t(10), t(90), Set.of("rec-01", "rec-02")));
        assertThat(r.gaps()).containsExactly(new Gap(t(0), t(10), null, null), new Gap(t(90), t(100), null, null));
    }

    @Test
    void archiveOfANodeThatIsDownIsAGapWithItsReason() {
        var r = MergedTimeline.merge(t(0), t(100), List.of(
                new Piece("rec-01", t(0), t(40), true),
                new Piece("rec-02", t(30), t(70), false), // partly covered by rec-01
                new Piece("rec-03", t(80), t(120), true)));
        assertThat(r.spans()).containsExactly(new Span(t(0), t(40), Set.of("rec-01")),
                new Span(t(80), t(100), Set.of("rec-03")));
        assertThat(r.gaps()).containsExactly(
                new Gap(t(40), t(70), "rec-02", "held by node rec-02, which is down"),
                new Gap(t(70), t(80), null, null));
    }

    @Test
    void aHoleUnderTheMergeToleranceIsNoGap() {
        var r = MergedTimeline.merge(t(0), t(10), List.of(new Piece("rec-01", t(0), t(4), true),
                new Piece("rec-02", T.plusMillis(4500), t(10), true)));
        assertThat(r.spans()).containsExactly(new Span(t(0), t(10), Set.of("rec-01", "rec-02")));
        assertThat(r.gaps()).isEmpty();
    }
}

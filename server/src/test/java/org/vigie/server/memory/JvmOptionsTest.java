package org.vigie.server.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JvmOptionsTest {

    @Test
    void heapIsTheMeasuredRuleWithTheMarginIssue17Showed() {
        // 1.6 x (80 MB + 1 MB per stream) = install.md's 128 MB + 1.6 MB per camera
        assertThat(JvmOptions.heapMbFor(0)).isEqualTo(128);
        assertThat(JvmOptions.heapMbFor(60)).isEqualTo(224);
        assertThat(JvmOptions.heapMbFor(300)).isEqualTo(608); // the run of issue 17 crashed at 380
        assertThat(JvmOptions.heapMbFor(1)).isEqualTo(130);   // 129.6, rounded up, never down
        assertThatThrownBy(() -> JvmOptions.heapMbFor(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smallHeapsUseTheSerialCollectorAndLargeOnesG1AlwaysBounded() {
        assertThat(JvmOptions.forStreams(60, 0).arguments()).containsExactly("-Xmx224m", "-Xss512k",
                "-XX:+UseSerialGC", "-Xms32m", "-XX:MinHeapFreeRatio=50", "-XX:MaxHeapFreeRatio=70",
                "-XX:MaxDirectMemorySize=94m");
        // 560 streams: 1.6 x 640 = 1024 MB, the largest serial heap; one more and G1 takes over
        assertThat(JvmOptions.forStreams(560, 0).arguments()).contains("-Xmx1024m", "-XX:+UseSerialGC");
        assertThat(JvmOptions.forStreams(561, 0).arguments()).contains("-Xmx1026m", "-XX:+UseG1GC");
        assertThat(JvmOptions.forStreams(1200, 0).arguments())
                .containsExactly("-Xmx2048m", "-Xss512k", "-XX:+UseG1GC", "-XX:MaxDirectMemorySize=664m");
        assertThat(JvmOptions.forStreams(1200, 0).toString()).doesNotContain("MaxRAMPercentage");
    }

    @Test
    void aSerialHeapStartsSmallAndFollowsItsLiveSetUpToTheRulesMaximum() {
        // at 100 cameras the rule's -Xmx288m committed whole ended 396-413 MB resident; following the 44 MB live
        // set (half free after each full collection) it committed 153 MB: 277-290 MB resident, 0 frames dropped;
        // the maximum stays the rule's, which a loaded server needs (a fixed -Xmx176m dropped 29 % of the frames)
        JvmOptions o = JvmOptions.forStreams(100, 0);
        assertThat(o.heapMb()).isEqualTo(288);
        assertThat(o.arguments()).contains("-Xmx288m", "-Xms32m", "-XX:MinHeapFreeRatio=50", "-XX:MaxHeapFreeRatio=70");
        // the smallest heap server.heap accepts still starts below its maximum
        assertThat(JvmOptions.MIN_HEAP_MB).isGreaterThan(JvmOptions.INITIAL_HEAP_MB);
        assertThat(JvmOptions.forStreams(100, 64).arguments()).contains("-Xmx64m", "-Xms32m");
        // G1 (above 1 GB) sizes and uncommits its heap itself: no initial size or free ratios given
        assertThat(JvmOptions.forStreams(1200, 0).toString()).doesNotContain("-Xms", "HeapFreeRatio");
    }

    @Test
    void serverHeapReplacesTheRuleButNotTheDirectMemoryBound() {
        JvmOptions o = JvmOptions.forStreams(60, 2048);
        assertThat(o.arguments()).containsExactly("-Xmx2048m", "-Xss512k", "-XX:+UseG1GC",
                "-XX:MaxDirectMemorySize=94m");
        assertThat(JvmOptions.forStreams(1200, 512).arguments()).contains("-Xmx512m", "-XX:+UseSerialGC", "-Xms32m");
    }
}

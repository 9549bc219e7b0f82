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
        assertThat(JvmOptions.forStreams(60, 0).arguments())
                .containsExactly("-Xmx224m", "-Xss512k", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=94m");
        // 560 streams: 1.6 x 640 = 1024 MB, the largest serial heap; one more and G1 takes over
        assertThat(JvmOptions.forStreams(560, 0).arguments()).contains("-Xmx1024m", "-XX:+UseSerialGC");
        assertThat(JvmOptions.forStreams(561, 0).arguments()).contains("-Xmx1026m", "-XX:+UseG1GC");
        assertThat(JvmOptions.forStreams(1200, 0).arguments())
                .containsExactly("-Xmx2048m", "-Xss512k", "-XX:+UseG1GC", "-XX:MaxDirectMemorySize=664m");
        assertThat(JvmOptions.forStreams(1200, 0).toString()).doesNotContain("MaxRAMPercentage");
    }

    @Test
    void serverHeapReplacesTheRuleButNotTheDirectMemoryBound() {
        JvmOptions o = JvmOptions.forStreams(60, 2048);
        assertThat(o.arguments()).containsExactly("-Xmx2048m", "-Xss512k", "-XX:+UseG1GC",
                "-XX:MaxDirectMemorySize=94m");
        assertThat(JvmOptions.forStreams(1200, 512).arguments()).contains("-Xmx512m", "-XX:+UseSerialGC");
    }
}

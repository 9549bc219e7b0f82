package org.vigie.server.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JvmOptionsTest {

    @Test
    void heapIsTheMeasuredRuleWithHalfAgainAsMargin() {
        assertThat(JvmOptions.heapMbFor(0)).isEqualTo(120);   // 1.5 x 80
        assertThat(JvmOptions.heapMbFor(60)).isEqualTo(210);  // 1.5 x 140
        assertThat(JvmOptions.heapMbFor(300)).isEqualTo(570); // 1.5 x 380: the run of issue 17 crashed at 380
        assertThat(JvmOptions.heapMbFor(1)).isEqualTo(122);   // rounded up, never down
        assertThatThrownBy(() -> JvmOptions.heapMbFor(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smallHeapsUseTheSerialCollectorAndLargeOnesG1AlwaysBounded() {
        assertThat(JvmOptions.forStreams(60, 0).arguments())
                .containsExactly("-Xmx210m", "-Xss512k", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=94m");
        // 602 streams: 1.5 x 682 = 1023 MB, the largest serial heap
        assertThat(JvmOptions.forStreams(602, 0).arguments()).contains("-Xmx1023m", "-XX:+UseSerialGC");
        assertThat(JvmOptions.forStreams(1200, 0).arguments())
                .containsExactly("-Xmx1920m", "-Xss512k", "-XX:+UseG1GC", "-XX:MaxDirectMemorySize=664m");
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

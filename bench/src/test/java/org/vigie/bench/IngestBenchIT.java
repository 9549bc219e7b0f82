package org.vigie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.bench.IngestBench.Contender;

/**
 * The load harness itself, at toy size: two rounds of the four contenders (both engines of Vigie, ffmpeg, GStreamer's chain alone) against two simulated cameras, through
 * the packaged launcher as {@code bin/vms bench ingest} runs it (4 s of warm-up after every camera streams, or
 * after ffmpeg's first files: the harness waits for those conditions itself, so a loaded CI machine needs no longer
 * fixed warm-up; then a 4 s window). The figures are not judged here (a harness, not a
 * timed test); what is checked is that every contender really ran, in ABC CBA order, that Vigie recorded the
 * window, and that the report and the JSON carry the per-round ratios.
 */
class IngestBenchIT {

    @Test
    void twoRoundsOfFourContendersWriteAReportAndAJson(@TempDir Path out) throws Exception {
        List<Contender> all = List.of(Contender.VIGIE_JAVA, Contender.VIGIE_GST, Contender.FFMPEG,
                Contender.GST_REFERENCE);
        Path md = new IngestBench(2, Duration.ofSeconds(4), Duration.ofSeconds(4), out, "240p", all, 2,
                Path.of("..", "server", "target", "vigie-server.jar").toAbsolutePath()).run();

        String report = Files.readString(md);
        assertThat(report).contains("--rounds 2 --engines java,gstreamer --gst-reference", "Ratio vigie java engine / ffmpeg",
                "Ratio vigie java engine / vigie GStreamer engine", "Ratio GStreamer chain alone / ffmpeg");
        Path json;
        try (Stream<Path> s = Files.list(out)) {
            json = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<String> order = new ArrayList<>();
        for (JsonNode r : root.get("results")) {
            order.add(r.get("round").asInt() + ":" + r.get("contender").asText());
            assertThat(r.get("cpuPercentPerStream").asDouble()).as(r.toString()).isPositive();
            assertThat(r.get("rssMbPerStream").asDouble()).as(r.toString()).isPositive();
            if (r.get("contender").asText().startsWith("vigie")) {
                assertThat(r.get("framesRecorded").asLong()).as(r.toString()).isPositive();
                // computed from the recordings against 25 fps x the window: a real-time figure, the bench's to
                // report (bin/vms bench ingest), not this test's to judge on a loaded 2-core machine
                assertThat(r.get("framesLostPerStream").isNumber()).as(r.toString()).isTrue();
            } else {
                assertThat(r.get("framesLostPerStream").isNull()).isTrue();
            }
        }
        assertThat(order).containsExactly("1:vigie_java", "1:vigie_gst", "1:ffmpeg", "1:gst_reference",
                "2:gst_reference", "2:ffmpeg", "2:vigie_gst", "2:vigie_java");
        assertThat(root.get("medianRatioJavaFfmpeg").asDouble()).isPositive();
        assertThat(root.get("medianRatioJavaGst").asDouble()).isPositive();
        assertThat(root.get("serverJvmOptions").asText()).startsWith("-Xmx");
    }
}

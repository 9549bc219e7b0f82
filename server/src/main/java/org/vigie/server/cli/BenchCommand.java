package org.vigie.server.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.vigie.server.bench.IngestBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vms bench ...}: load harnesses that write their results to a file (never timed unit tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Load harnesses; results go to a file.",
        subcommands = {BenchCommand.Ingest.class, org.vigie.server.bench.FanoutCommand.class,
                org.vigie.server.bench.PlaybackBench.class})
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code vms bench ingest --cameras N --seconds S}. */
    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Record N simulated cameras with Vigie's Java engine, its GStreamer engine, then one ffmpeg per camera; compare CPU and memory per stream.")
    static final class Ingest implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;
        @Option(names = "--cameras", defaultValue = "50") int cameras;
        @Option(names = "--seconds", defaultValue = "60", description = "Measured window per recorder.") int seconds;
        @Option(names = "--warmup", defaultValue = "15", description = "Seconds before measuring.") int warmup;
        @Option(names = "--preset", defaultValue = "720p", description = "Simulator clip: 720p (2 Mbit/s) or 240p.") String preset;
        @Option(names = "--out", defaultValue = "bench-results") Path out;
        @Option(names = "--no-baseline", description = "Skip the ffmpeg baseline (run by default).") boolean noBaseline;
        @Option(names = "--gst-reference", description = "Also measure GStreamer's chain alone (gst-launch-1.0 rtspsrc ! depay ! parse ! fakesink).")
        boolean gstReference;
        @Option(names = "--rounds", defaultValue = "1", description = "Repeat the contenders in ABC CBA order; the report gives the median ratio.")
        int rounds;
        @Option(names = "--engines", defaultValue = "java,gstreamer", split = ",",
                description = "Vigie's ingest engines measured side by side: java, gstreamer or both.")
        java.util.List<String> engines;
        @Option(names = "--base-port", defaultValue = "18554",
                description = "The simulator's RTSP port; the server takes the next two.") int basePort;

        @Override
        public Integer call() throws Exception {
            Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            java.util.List<IngestBench.Contender> contenders = new java.util.ArrayList<>();
            for (String e : engines) {
                switch (e.trim()) {
                    case "java" -> contenders.add(IngestBench.Contender.VIGIE_JAVA);
                    case "gstreamer" -> contenders.add(IngestBench.Contender.VIGIE_GST);
                    default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--engines: java or gstreamer, got '" + e + "'");
                }
            }
            if (!noBaseline) contenders.add(IngestBench.Contender.FFMPEG);
            if (gstReference) contenders.add(IngestBench.Contender.GST_REFERENCE);
            Path report = new IngestBench(cameras, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup), out,
                    preset, contenders, rounds, jar, basePort).run();
            System.out.println(java.nio.file.Files.readString(report));
            System.out.println("written to " + report);
            return 0;
        }
    }
}

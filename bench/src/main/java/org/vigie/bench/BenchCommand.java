package org.vigie.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms bench ...}: load harnesses that write their results to a file (never timed unit tests). The main class
 * of {@code bench/target/vigie-bench.jar}, which bin/vms runs for {@code vms bench}; the production jar has none of it.
 */
@Command(name = "vms bench", mixinStandardHelpOptions = true, description = "Load harnesses; results go to a file.",
        subcommands = {BenchCommand.Ingest.class, FanoutCommand.class, PlaybackBench.class, SoakBench.class,
                WallCommand.class, MasksBench.class, FailoverBench.class, CapacityBench.class})
public final class BenchCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
    }

    /** The production server's jar, as bin/vms runs it ({@code -Dvms.home} is the installation, set by bin/vms). */
    static Path serverJar() {
        return Path.of(System.getProperty("vms.home", ".")).resolve("server/target/vigie-server.jar").toAbsolutePath();
    }

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
        @Option(names = "--warmup", defaultValue = "15", description = "Seconds after every camera records, before measuring.") int warmup;
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
        @Option(names = "--jfr", description = "Record each Vigie server with Java Flight Recorder (a .jfr file beside the report).")
        boolean jfr;

        @Override
        public Integer call() throws Exception {
            Path jar = serverJar();
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
                    preset, contenders, rounds, jar).withFlightRecording(jfr).run();
            System.out.println(java.nio.file.Files.readString(report));
            System.out.println("written to " + report);
            return 0;
        }
    }
}

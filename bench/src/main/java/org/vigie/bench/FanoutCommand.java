package org.vigie.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vms bench fanout [--scenarios 1x100,50x4] [--seconds S]}: the {@link FanoutBench} from the launcher. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "Fan-out of live cameras to WebSocket viewers: CPU per viewer vs per ingested stream, "
                + "server-added latency p50/p99.")
public final class FanoutCommand implements Callable<Integer> {

    @Option(names = "--scenarios", defaultValue = "1x100,50x4",
            description = "Comma-separated CAMERASxVIEWERS_PER_CAMERA (default: ${DEFAULT-VALUE}).")
    String scenarios;
    @Option(names = "--seconds", defaultValue = "30", description = "Measured window of each phase.")
    int seconds;
    @Option(names = "--warmup", defaultValue = "10", description = "Seconds before measuring.")
    int warmup;
    @Option(names = "--preset", defaultValue = "720p", description = "Simulator clip: 720p (2 Mbit/s) or 240p.")
    String preset;
    @Option(names = "--out", defaultValue = "bench-results")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path report = new FanoutBench(FanoutBench.scenarios(scenarios), Duration.ofSeconds(seconds),
                Duration.ofSeconds(warmup), out, preset).run();
        System.out.println(Files.readString(report));
        System.out.println("written to " + report);
        return 0;
    }
}

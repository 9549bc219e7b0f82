package org.vigie.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vigie.web.it.WallBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms bench wall}: the operators' client in headless Chromium (Debian's chromium and chromium-driver), a 4x4
 * wall of sub streams then one tile on the main stream, against a real server and simulator started in this JVM.
 * The harness is the web tests' ({@link WallBench}, from web/it's test-jar): Selenium stays in this jar.
 */
@Command(name = "wall", mixinStandardHelpOptions = true,
        description = "The client's video wall in headless Chromium: 4x4 sub streams, then 1x1 main; decoded fps per tile, live delay p50/p95/max, browser JS heap, CPU of browser and server.")
public final class WallCommand implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "60", description = "Measured window of each wall (the memory target asks for 600).")
    int seconds;
    @Option(names = "--out", defaultValue = "bench-results")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path report = WallBench.run(seconds, out);
        System.out.println(Files.readString(report));
        System.out.println("written to " + report);
        return 0;
    }
}

package org.vigie.server.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vigie.simulator.SimulatorMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code vms simulate --cameras N [--port P] ...}: serves N simulated RTSP cameras (see SimulatorMain). */
@Command(name = "simulate", description = "Serve N simulated RTSP cameras from a looping H.264 clip: "
        + "--cameras N [--port P] [--username U --password P] [--bind ADDR] [--preset 720p|240p] [--clip FILE --fps F]")
public final class SimulateCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return SimulatorMain.run(args.toArray(String[]::new));
    }
}

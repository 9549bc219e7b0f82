package org.vigie.server.cli;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;
import org.vigie.server.memory.JvmOptions;
import org.vigie.server.store.CameraStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms jvm-options --config FILE}: prints, on one line, the JVM options of a server recording the cameras of
 * that configuration and those added through the API (read from its database, read-only), as
 * {@link JvmOptions} sizes them, or as {@code server.heap} sets the heap. bin/vms runs it before {@code vms run}
 * unless {@code VMS_JAVA_OPTS} is set. A bad configuration exits with 78 like {@code vms run}.
 */
@Command(name = "jvm-options", mixinStandardHelpOptions = true,
        description = "Print the JVM options sized for the cameras to record (bin/vms run uses them).")
public final class JvmOptionsCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "Configuration file (see conf/vms.yaml).")
    Path config;

    @Option(names = "--explain", description = "Also print, on standard error, what the options were sized for.")
    boolean explain;

    @Override
    public Integer call() {
        VmsConfig c = ConfigFiles.loadOrReport(config);
        if (c == null) {
            return ConfigException.EXIT_CODE;
        }
        List<CameraConfig> stored;
        try {
            stored = CameraStore.listStored(c.database().path());
        } catch (SQLException e) {
            // the server itself reports an unreadable database at start; size for the file's cameras meanwhile
            System.err.println("vms jvm-options: cameras of " + c.database().path() + " not counted: " + e.getMessage());
            stored = List.of();
        }
        int streams = recordedStreams(c, stored);
        JvmOptions o = JvmOptions.forStreams(streams, c.server().heapMb());
        if (explain) {
            System.err.println("vms jvm-options: " + streams + " recorded stream(s) ("
                    + c.cameras().size() + " camera(s) in " + config + ", " + stored.size() + " in "
                    + c.database().path() + "), heap " + (c.server().heapMb() > 0 ? "set by server.heap" : "auto"));
        }
        System.out.println(o);
        return 0;
    }

    /**
     * The streams the server will record at start, as {@code VmsServer} puts them: every enabled camera of the file,
     * then every enabled camera of the database whose id the file does not shadow; each records its main stream and,
     * with {@code record-sub}, its sub stream.
     */
    static int recordedStreams(VmsConfig c, List<CameraConfig> stored) {
        Set<String> ids = new HashSet<>();
        int streams = 0;
        for (CameraConfig cam : c.cameras()) {
            ids.add(cam.id());
            streams += streams(cam);
        }
        for (CameraConfig cam : stored) {
            if (ids.add(cam.id())) {
                streams += streams(cam);
            }
        }
        return streams;
    }

    private static int streams(CameraConfig cam) {
        if (!cam.enabled()) return 0;
        return cam.recordSub() && (cam.subUrl() != null || cam.onvif() != null) ? 2 : 1;
    }
}

package org.vigie.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vms doctor}: checks that this system has everything the build, the server, the demo and the tests need
 * from it (Java, every GStreamer element the code uses, the shared libraries gst1-java-core loads, ffmpeg, the
 * browser and its driver, Node.js, openssl, iproute2, systemd-analyze, GStreamer's RTSP server for Python, a
 * writable storage folder, free ports), prints what is missing with the one {@code apt-get install} line that
 * fixes it, and exits 1 if anything is missing.
 *
 * <p>It needs nothing but the JDK, so that it runs before the server is built: {@code bin/vms doctor} runs this
 * file as a single-file source program ({@code java Doctor.java}); {@code bin/vms demo} calls {@link #run} before
 * starting. {@link #TABLE} is the one list of what the project takes from the system; {@code DoctorTableTest}
 * keeps it honest (every element name in the code is in it, every package of it is in {@code bin/install-deps}).
 */
public final class Doctor {

    /** Who needs a requirement. */
    public enum Use {
        /** building from source (bin/vms builds the server on first use). */
        BUILD,
        /** running the server. */
        SERVER,
        /** {@code bin/vms demo} and {@code bin/vms simulate}: the simulated cameras' clip. */
        DEMO,
        /** {@code mvn verify}: independent peers and tools the tests run. */
        TESTS
    }

    /** How a requirement is checked. */
    public enum Kind {
        /** a program on the PATH (or in /usr/sbin, /sbin). */
        COMMAND,
        /** a GStreamer element factory, as {@code gst-inspect-1.0} lists it. */
        ELEMENT,
        /** a shared library in the system's library folders. */
        LIBRARY,
        /** a Python 3 GObject-introspection namespace, imported by {@code /usr/bin/python3}. */
        PYTHON_GI
    }

    /**
     * One thing the project needs from the system.
     *
     * @param packages the Debian packages that provide it, space-separated
     * @param why      what uses it, for the reader of the report
     */
    public record Requirement(Kind kind, String name, String packages, Set<Use> uses, String why) {
        public List<String> packageList() {
            return List.of(packages.split(" "));
        }
    }

    private static Requirement command(String name, String packages, String why, Use... uses) {
        return new Requirement(Kind.COMMAND, name, packages, EnumSet.copyOf(List.of(uses)), why);
    }

    private static Requirement element(String name, String packages, String why, Use... uses) {
        return new Requirement(Kind.ELEMENT, name, packages, EnumSet.copyOf(List.of(uses)), why);
    }

    /** The oldest Java the project builds and runs on. */
    public static final int JAVA_FEATURE = 17;
    /** The package that brings Java (and its compiler, which bin/vms doctor and the build need). */
    public static final String JDK_PACKAGE = "openjdk-17-jdk-headless";

    // The demo's ports: conf/demo.yaml (server.http-port, server.rtsp-port) and DemoCommand's defaults.
    public static final int DEMO_HTTP_PORT = 8080;
    public static final int DEMO_RTSP_PORT = 8554;
    public static final int DEMO_SIMULATOR_PORT = 8555;
    public static final int DEMO_ONVIF_PORT = 8580;

    private static final String CORE = "libgstreamer1.0-0";
    private static final String BASE = "gstreamer1.0-plugins-base";
    private static final String GOOD = "gstreamer1.0-plugins-good";
    private static final String BAD = "gstreamer1.0-plugins-bad";

    /** Everything the project takes from the system. Element names are those of GStreamer 1.22 (Debian 12). */
    public static final List<Requirement> TABLE = List.of(
            command("javac", JDK_PACKAGE, "builds the server", Use.BUILD),
            command("mvn", "maven", "builds the server", Use.BUILD),
            new Requirement(Kind.LIBRARY, "libgstreamer-1.0.so.0", CORE, EnumSet.of(Use.SERVER),
                    "GStreamer, loaded by gst1-java-core (ingest fallback, snapshots)"),
            new Requirement(Kind.LIBRARY, "libgstapp-1.0.so.0", "libgstreamer-plugins-base1.0-0", EnumSet.of(Use.SERVER),
                    "appsrc/appsink API, loaded by gst1-java-core"),
            command("gst-inspect-1.0", "gstreamer1.0-tools", "lists GStreamer's elements (this doctor)", Use.SERVER),
            command("gst-launch-1.0", "gstreamer1.0-tools", "encodes the simulator's clip; tests' rtspsrc client",
                    Use.DEMO, Use.TESTS),
            // the GStreamer ingest (native: RtspIngestPipeline)
            element("rtspsrc", GOOD, "GStreamer ingest", Use.SERVER, Use.TESTS),
            element("rtph264depay", GOOD, "GStreamer ingest (H.264)", Use.SERVER, Use.TESTS),
            element("rtph265depay", GOOD, "GStreamer ingest (H.265)", Use.SERVER),
            element("h264parse", BAD, "GStreamer ingest, snapshots (H.264)", Use.SERVER, Use.TESTS),
            element("h265parse", BAD, "GStreamer ingest, snapshots (H.265)", Use.SERVER),
            element("capsfilter", CORE, "GStreamer ingest; caps in every pipeline description", Use.SERVER, Use.DEMO,
                    Use.TESTS),
            element("appsink", BASE, "GStreamer ingest, snapshots", Use.SERVER),
            element("fakesink", CORE, "GStreamer ingest (unused streams); tests' rtspsrc client", Use.SERVER, Use.TESTS),
            // snapshots (native: KeyFrameDecoder)
            element("appsrc", BASE, "snapshots", Use.SERVER),
            element("avdec_h264", "gstreamer1.0-libav", "snapshots (H.264 decoder); tests' independent frame count",
                    Use.SERVER, Use.TESTS),
            element("avdec_h265", "gstreamer1.0-libav", "snapshots (H.265 decoder)", Use.SERVER),
            element("videoconvert", BASE, "snapshots", Use.SERVER),
            element("jpegenc", GOOD, "snapshots", Use.SERVER),
            // privacy masks burned in (native: MaskedTranscoder; also avdec_*, videoconvert, appsrc, appsink, x264enc)
            element("gdkpixbufoverlay", GOOD, "privacy masks: composites the mask image over every decoded frame",
                    Use.SERVER, Use.TESTS),
            // the simulator's clip (simulator: ClipPreset)
            element("videotestsrc", BASE, "the simulator's clip; gst-rtsp-server.py", Use.DEMO, Use.TESTS),
            element("compositor", BASE, "the simulator's clip", Use.DEMO),
            element("timeoverlay", "gstreamer1.0-x", "the simulator's clip (a visible clock)", Use.DEMO),
            element("x264enc", "gstreamer1.0-plugins-ugly", "privacy masks: the masked re-encode (exports, snapshots,"
                    + " re-stream); the simulator's clip; gst-rtsp-server.py", Use.SERVER, Use.DEMO, Use.TESTS),
            element("filesink", CORE, "the simulator's clip", Use.DEMO),
            // tests: GStreamer's RTSP server as an independent camera (test-support/gst-rtsp-server.py), rtspsrc client
            element("identity", CORE, "tests' rtspsrc client (stops after N frames)", Use.TESTS),
            element("filesrc", CORE, "tests: GStreamer decodes recordings and exports to count their frames", Use.TESTS),
            element("qtdemux", GOOD, "tests: GStreamer's MP4 demuxer, a reader independent of ffprobe", Use.TESTS),
            element("rtph264pay", GOOD, "gst-rtsp-server.py (H.264)", Use.TESTS),
            element("x265enc", BAD, "gst-rtsp-server.py (H.265)", Use.TESTS),
            element("rtph265pay", GOOD, "gst-rtsp-server.py (H.265)", Use.TESTS),
            element("vp8enc", GOOD, "gst-rtsp-server.py (VP8, an unsupported codec)", Use.TESTS),
            element("rtpvp8pay", GOOD, "gst-rtsp-server.py (VP8)", Use.TESTS),
            new Requirement(Kind.PYTHON_GI, "GstRtspServer", "python3-gi gir1.2-gst-rtsp-server-1.0", EnumSet.of(Use.TESTS),
                    "GStreamer's RTSP server (test-support/gst-rtsp-server.py)"),
            command("ffprobe", "ffmpeg", "tests: an independent reader of recordings and streams", Use.TESTS),
            command("ffmpeg", "ffmpeg", "tests and bench ingest: an independent RTSP client and decoder", Use.TESTS),
            command("chromium", "chromium", "tests and vms bench wall: the operators' client in a real browser (Selenium)", Use.TESTS),
            command("chromedriver", "chromium-driver", "tests: Selenium's driver for chromium", Use.TESTS),
            command("node", "nodejs", "tests: the npm onvif client as an independent ONVIF peer", Use.TESTS),
            command("npm", "npm", "tests: installs the npm onvif client", Use.TESTS),
            command("openssl", "openssl", "tests: TLS certificates", Use.TESTS),
            command("ip", "iproute2", "tests: network namespaces for WS-Discovery", Use.TESTS),
            command("mount", "mount", "tests: a small tmpfs volume that fills up", Use.TESTS),
            command("umount", "mount", "tests: a small tmpfs volume that fills up", Use.TESTS),
            command("systemd-analyze", "systemd", "tests: the unit file passes systemd-analyze verify", Use.TESTS),
            // Debian installs the server's programs under /usr/lib/postgresql/VERSION/bin (findCommand looks there)
            command("initdb", "postgresql", "tests: a throwaway PostgreSQL cluster, the shared store of a cluster",
                    Use.TESTS),
            command("pg_ctl", "postgresql", "tests: starts and stops the throwaway PostgreSQL server", Use.TESTS),
            command("runuser", "util-linux", "tests as root: runs the throwaway PostgreSQL as the postgres user",
                    Use.TESTS),
            command("chown", "coreutils", "tests as root: gives the throwaway PostgreSQL's folder to postgres",
                    Use.TESTS));

    /** A failed check: what, and the packages that fix it (empty when no package does). */
    public record Problem(String what, List<String> packages) {
    }

    /** The outcome of one run. */
    public record Report(List<String> lines, List<Problem> problems, List<String> notes) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** The packages of every problem, in table order, each once. */
        public List<String> packages() {
            Set<String> p = new LinkedHashSet<>();
            problems.forEach(x -> p.addAll(x.packages()));
            return List.copyOf(p);
        }
    }

    /** A TCP port the demo listens on. */
    public record Port(int port, String what) {
    }

    /** What to check: the uses, the storage folder (or null) and the ports that must be free. */
    public record Scope(Set<Use> uses, Path storage, List<Port> ports) {
    }

    private Doctor() {
    }

    /** {@code java Doctor.java [--for build,server,demo,tests] [--storage DIR] [--no-ports] [--table]}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the command line; returns the exit status (0 all present, 1 something missing, 2 bad usage). */
    public static int run(String[] args, PrintStream out) {
        Set<Use> uses = EnumSet.allOf(Use.class);
        Path home = Path.of(System.getProperty("vms.home", "."));
        Path storage = home.resolve("var/recordings");
        boolean ports = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--for" -> {
                    if (i + 1 == args.length) {
                        return usage(out, "--for needs a value");
                    }
                    uses = EnumSet.noneOf(Use.class);
                    for (String u : args[++i].split(",")) {
                        try {
                            uses.add(Use.valueOf(u.trim().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            return usage(out, "unknown use '" + u + "'");
                        }
                    }
                }
                case "--storage" -> {
                    if (i + 1 == args.length) {
                        return usage(out, "--storage needs a folder");
                    }
                    storage = Path.of(args[++i]);
                }
                case "--no-ports" -> ports = false;
                case "--table" -> {
                    TABLE.forEach(r -> out.println(r.kind() + "\t" + r.name() + "\t" + r.packages() + "\t" + r.uses()));
                    return 0;
                }
                case "-h", "--help" -> {
                    usage(out, null);
                    return 0;
                }
                default -> {
                    return usage(out, "unknown option " + args[i]);
                }
            }
        }
        uses = implied(uses);
        boolean demo = uses.contains(Use.DEMO) || uses.contains(Use.SERVER);
        List<Port> portList = ports && uses.contains(Use.DEMO)
                ? demoPorts(DEMO_HTTP_PORT, DEMO_RTSP_PORT, DEMO_SIMULATOR_PORT, DEMO_ONVIF_PORT) : List.of();
        Report r = check(new Scope(uses, demo ? storage : null, portList));
        print(r, out);
        return r.ok() ? 0 : 1;
    }

    /** What a use needs besides its own: the demo runs the server, which is built first; the tests run it all. */
    public static Set<Use> implied(Set<Use> uses) {
        Set<Use> all = EnumSet.copyOf(uses);
        if (uses.contains(Use.TESTS)) {
            all.addAll(EnumSet.allOf(Use.class));
        }
        if (uses.contains(Use.DEMO)) {
            all.addAll(EnumSet.of(Use.SERVER, Use.BUILD));
        }
        if (uses.contains(Use.SERVER)) {
            all.add(Use.BUILD);
        }
        return all;
    }

    /** The demo's TCP ports (a port of 0 or less is not listened on, and not checked). */
    public static List<Port> demoPorts(int httpPort, int rtspPort, int simulatorPort, int onvifPort) {
        List<Port> ports = new ArrayList<>();
        for (Port p : List.of(new Port(httpPort, "the demo's HTTP API"), new Port(rtspPort, "the demo's RTSP re-stream"),
                new Port(simulatorPort, "the simulated cameras' RTSP"), new Port(onvifPort, "the simulated cameras' ONVIF"))) {
            if (p.port() > 0) {
                ports.add(p);
            }
        }
        return List.copyOf(ports);
    }

    private static int usage(PrintStream out, String error) {
        if (error != null) {
            out.println("vms doctor: " + error);
        }
        out.println("Usage: vms doctor [--for build,server,demo,tests] [--storage DIR] [--no-ports] [--table]");
        out.println("Checks what Vigie needs from this system and prints the apt-get line that installs what is missing.");
        out.println("  --for      check only what these need (default: all; the tests need everything)");
        out.println("  --storage  the folder recordings go to (default: var/recordings, the demo's)");
        out.println("  --no-ports do not check that the demo's ports are free");
        out.println("  --table    print the table of requirements and exit");
        return error == null ? 0 : 2;
    }

    /** Checks everything in scope. */
    public static Report check(Scope scope) {
        List<String> lines = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int feature = Runtime.version().feature();
        if (feature >= JAVA_FEATURE) {
            lines.add(ok(String.format("%-34s %s", "java " + Runtime.version().feature(), "runs everything ("
                    + System.getProperty("java.home") + ", " + Runtime.version() + ")")));
        } else {
            problem(lines, problems, "java " + Runtime.version() + " is older than " + JAVA_FEATURE, List.of(JDK_PACKAGE));
        }
        List<Requirement> inScope = TABLE.stream().filter(r -> r.uses().stream().anyMatch(scope.uses()::contains)).toList();
        Optional<Set<String>> elements = inScope.stream().anyMatch(r -> r.kind() == Kind.ELEMENT)
                ? installedElements() : Optional.empty();
        for (Requirement r : inScope) {
            String label = label(r);
            String missing = switch (r.kind()) {
                case COMMAND -> findCommand(r.name()).isPresent() ? null : "not found";
                case LIBRARY -> findLibrary(r.name()) ? null : "not found";
                case PYTHON_GI -> pythonGi(r.name());
                case ELEMENT -> elements.isPresent()
                        ? (elements.get().contains(r.name()) ? null : elementMissing(r))
                        : (r.packageList().stream().allMatch(Doctor::packageInstalled) ? null
                                : "not checked (gst-inspect-1.0 missing), and its package is not installed");
            };
            if (missing == null) {
                lines.add(ok(label));
            } else {
                problem(lines, problems, label + ": " + missing, r.packageList());
            }
        }
        if (scope.storage() != null) {
            String s = writable(scope.storage());
            if (s == null) {
                lines.add(ok(String.format("%-34s %s", "storage", scope.storage().toAbsolutePath().normalize() + " writable")));
            } else {
                problem(lines, problems, "storage " + scope.storage().toAbsolutePath().normalize() + ": " + s, List.of());
            }
        }
        for (Port p : scope.ports()) {
            if (portFree(p.port())) {
                lines.add(ok(String.format("%-34s %s", "port " + p.port() + "/tcp free", p.what())));
            } else {
                problem(lines, problems, "port " + p.port() + "/tcp (" + p.what() + ") is in use: stop what listens "
                        + "there (ss -ltnp 'sport = :" + p.port() + "'), or choose another port", List.of());
            }
        }
        if (scope.uses().contains(Use.TESTS) && !isRoot()) {
            notes.add("not root: the tests that mount a tmpfs (FullVolumeIT) or make a network namespace "
                    + "(NodeOnvifClientTest) fail; as root they run, or skip them with -Dvigie.allowSkips=true");
        }
        return new Report(List.copyOf(lines), List.copyOf(problems), List.copyOf(notes));
    }

    /** Prints a report and, when something is missing, the one line that fixes it. */
    public static void print(Report r, PrintStream out) {
        r.lines().forEach(out::println);
        r.notes().forEach(n -> out.println("note     " + n));
        if (r.ok()) {
            out.println("vms doctor: everything needed is present");
            return;
        }
        out.println("vms doctor: " + r.problems().size() + " problem(s)");
        List<String> pkgs = r.packages();
        if (!pkgs.isEmpty()) {
            out.println("fix: " + (isRoot() ? "" : "sudo ") + "apt-get install -y --no-install-recommends "
                    + String.join(" ", pkgs));
        }
    }

    private static String ok(String what) {
        return "ok       " + what;
    }

    private static void problem(List<String> lines, List<Problem> problems, String what, List<String> packages) {
        lines.add("MISSING  " + what + (packages.isEmpty() ? "" : "  [" + String.join(" ", packages) + "]"));
        problems.add(new Problem(what, packages));
    }

    private static String label(Requirement r) {
        String kind = switch (r.kind()) {
            case COMMAND -> "command";
            case ELEMENT -> "element";
            case LIBRARY -> "library";
            case PYTHON_GI -> "python3 gi";
        };
        return String.format("%-34s %s", kind + " " + r.name(), r.why());
    }

    private static String elementMissing(Requirement r) {
        return r.packageList().stream().allMatch(Doctor::packageInstalled)
                ? "absent from GStreamer's registry although its package is installed (a plugin that fails to load: "
                        + "see gst-inspect-1.0 -b; removing ~/.cache/gstreamer-1.0 rebuilds the registry)"
                : "not installed";
    }

    // ---- probes

    /** The element factories GStreamer's registry knows (from {@code gst-inspect-1.0}), or empty without it. */
    public static Optional<Set<String>> installedElements() {
        Optional<Path> inspect = findCommand("gst-inspect-1.0");
        if (inspect.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> listing = output(List.of(inspect.get().toString()), 120);
        if (listing.isEmpty()) {
            return Optional.empty();
        }
        // "coreelements:  fakesink: Fake Sink"; type finders and other features are listed the same way, which is
        // harmless: the table only asks for element names
        Pattern line = Pattern.compile("^[\\w.-]+:\\s+([\\w-]+):\\s", Pattern.MULTILINE);
        Set<String> names = new TreeSet<>();
        Matcher m = line.matcher(listing.get());
        while (m.find()) {
            names.add(m.group(1));
        }
        return Optional.of(names);
    }

    /** The executable of that name on the PATH, or in the system folders a non-root PATH may lack. */
    public static Optional<Path> findCommand(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        dirs.addAll(postgresqlBins());
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Debian's PostgreSQL server folders, {@code /usr/lib/postgresql/VERSION/bin}, newest first (off the PATH). */
    static List<String> postgresqlBins() {
        List<String> out = new ArrayList<>();
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
                s.forEach(v -> out.add(v.resolve("bin").toString()));
            } catch (java.io.IOException e) {
                // unreadable: as if absent
            }
        }
        out.sort(java.util.Comparator.comparingInt(Doctor::versionOf).reversed());
        return out;
    }

    private static int versionOf(String bin) {
        try {
            return Integer.parseInt(Path.of(bin).getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean findLibrary(String soname) {
        List<Path> dirs = new ArrayList<>(List.of(Path.of("/usr/lib"), Path.of("/lib"), Path.of("/usr/local/lib")));
        for (Path base : List.of(Path.of("/usr/lib"), Path.of("/lib"))) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(base, "*-linux-gnu*")) {
                s.forEach(dirs::add);
            } catch (IOException | RuntimeException e) {
                // no multiarch folder
            }
        }
        return dirs.stream().anyMatch(d -> Files.exists(d.resolve(soname)));
    }

    private static String pythonGi(String namespace) {
        Path python = Path.of("/usr/bin/python3"); // Debian's, which has python3-gi (another python3 may come first on PATH)
        if (!Files.isExecutable(python)) {
            return "/usr/bin/python3 not found";
        }
        String script = "import gi; gi.require_version('" + namespace + "', '1.0'); from gi.repository import " + namespace;
        return output(List.of(python.toString(), "-c", script), 60).isPresent() ? null : "cannot be imported";
    }

    private static boolean packageInstalled(String pkg) {
        return output(List.of("dpkg-query", "-W", "-f=${Status}", pkg), 30).map(s -> s.contains("install ok installed"))
                .orElse(false);
    }

    private static String writable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".doctor-", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            return "not writable (" + e + ")";
        }
    }

    private static boolean portFree(int port) {
        // the servers bind their configured address (127.0.0.1 in the demo) or the wildcard: either collides
        for (InetAddress a : List.of(InetAddress.getLoopbackAddress(), wildcard())) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(a, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress wildcard() {
        try {
            return InetAddress.getByName("0.0.0.0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The standard output of a command that exited 0 within the deadline, or empty. */
    private static Optional<String> output(List<String> command, int seconds) {
        Path out = null;
        try {
            out = Files.createTempFile("vms-doctor-", ".out");
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(Files.readString(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }
}

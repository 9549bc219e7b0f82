package org.vigie.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.cli.Doctor.Kind;
import org.vigie.server.cli.Doctor.Requirement;
import org.vigie.server.cli.Doctor.Use;

/**
 * Keeps {@link Doctor#TABLE} honest, so that a fresh machine cannot silently lack what the code uses: every
 * GStreamer element and every program the code of any module uses (main code, tests, simulator, scripts,
 * test-support) is in the table, production code's elements are marked for the server or the demo, and the table's
 * packages are exactly those {@code bin/install-deps} installs.
 */
class DoctorTableTest {

    /** Words the registry rule finds that are not element names where they are written. */
    private static final Map<String, String> NOT_ELEMENTS = Map.of(
            "pipeline", "GStreamer's container, a word of error messages; no code makes one by name",
            "bin", "GStreamer's container; a folder name (java.home/bin/java)",
            "tee", "the shell command, in scripts");

    private static Path root;
    private static Set<String> registry;

    @BeforeAll
    static void setUp() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("bin/install-deps")) && Files.isRegularFile(p.resolve("pom.xml")))) {
            p = p.getParent();
        }
        assertThat(p).as("the project's root (the folder of bin/install-deps) above %s", Path.of("").toAbsolutePath()).isNotNull();
        root = p;
        Optional<Set<String>> r = Doctor.installedElements();
        assertThat(r).as("GStreamer's registry (gst-inspect-1.0, package gstreamer1.0-tools)").isPresent();
        registry = r.get();
    }

    private static Set<String> tableNames(Kind kind) {
        return Doctor.TABLE.stream().filter(r -> r.kind() == kind).map(Requirement::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static boolean isThisTest(Path p) {
        String n = p.getFileName().toString();
        return n.equals("DoctorTableTest.java") || n.equals("SourceScanner.java") || n.equals("Doctor.java");
    }

    @Test
    void everyElementTheCodeUsesIsInTheTable() throws IOException {
        SourceScanner scanner = new SourceScanner(root);
        List<Path> files = scanner.sourceFiles(DoctorTableTest::isThisTest);
        Map<String, List<SourceScanner.Use>> used = new TreeMap<>();
        for (Path f : files) {
            for (SourceScanner.Use u : scanner.elements(f, registry)) {
                if (!(u.rule().equals("registry") && NOT_ELEMENTS.containsKey(u.name()))) {
                    used.computeIfAbsent(u.name(), k -> new ArrayList<>()).add(u);
                }
            }
        }
        assertThat(files.size()).as("source files scanned").isGreaterThan(300);
        // the scan sees the elements of the main pipelines: if not, it is the scanner that is broken
        assertThat(used.keySet()).as("elements found in %s files", files.size())
                .contains("rtspsrc", "appsink", "avdec_h264", "timeoverlay", "x264enc", "vp8enc", "identity");
        Set<String> table = tableNames(Kind.ELEMENT);
        Map<String, List<SourceScanner.Use>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(table);
        assertThat(missing).as("elements the code uses that Doctor.TABLE lacks (add each with its Debian package: "
                + "dpkg -S on the plugin file gst-inspect-1.0 names), with where they are used").isEmpty();
        Set<String> unused = new LinkedHashSet<>(table);
        unused.removeAll(used.keySet());
        assertThat(unused).as("elements of Doctor.TABLE that no code uses any more").isEmpty();
    }

    @Test
    void productionCodesElementsAreCheckedForTheServerOrTheDemo() throws IOException {
        SourceScanner scanner = new SourceScanner(root);
        Map<String, Requirement> table = Doctor.TABLE.stream().filter(r -> r.kind() == Kind.ELEMENT)
                .collect(Collectors.toMap(Requirement::name, r -> r));
        List<String> wrong = new ArrayList<>();
        // test-support's main code is test fixtures (only ever a test dependency): not production code
        for (Path f : scanner.sourceFiles(p -> isThisTest(p) || !p.toString().contains("/src/main/")
                || p.toString().contains("test-support/src/main/"))) {
            for (SourceScanner.Use u : scanner.elements(f, registry)) {
                Requirement r = table.get(u.name());
                Use needed = f.toString().contains("/simulator/") ? Use.DEMO : Use.SERVER;
                if (r != null && !r.uses().contains(needed) && !(needed == Use.SERVER && r.uses().contains(Use.DEMO))) {
                    wrong.add(u + " needs " + needed + ", the table says " + r.uses());
                }
            }
        }
        assertThat(wrong).as("elements of main code that `vms doctor --for server|demo` would not check").isEmpty();
    }

    @Test
    void everyProgramTheJavaCodeRunsIsInTheTable() throws IOException {
        SourceScanner scanner = new SourceScanner(root);
        Set<String> table = tableNames(Kind.COMMAND);
        Map<String, List<SourceScanner.Use>> missing = new TreeMap<>();
        int programs = 0;
        for (Path f : scanner.sourceFiles(DoctorTableTest::isThisTest)) {
            for (SourceScanner.Use u : scanner.commands(f)) {
                boolean installed = Doctor.findCommand(u.name()).isPresent();
                if (installed) {
                    programs++;
                }
                if (installed && !table.contains(u.name()) && !PROVIDED_ELSEWHERE.containsKey(u.name())) {
                    missing.computeIfAbsent(u.name(), k -> new ArrayList<>()).add(u);
                }
            }
        }
        assertThat(programs).as("programs found in command lines").isGreaterThan(10);
        assertThat(missing).as("programs the code runs that Doctor.TABLE lacks").isEmpty();
    }

    /** Programs the code runs that the table checks another way. */
    private static final Map<String, String> PROVIDED_ELSEWHERE = Map.of(
            "python3", "Debian's /usr/bin/python3: the PYTHON_GI requirement imports GstRtspServer with it",
            "java", "the doctor runs on it and checks its version");

    @Test
    void theTablesPackagesAreExactlyThoseInstallDepsInstalls() throws IOException {
        String script = Files.readString(root.resolve("bin/install-deps"));
        Matcher m = Pattern.compile("(?s)\\nPKGS=\\((.*?)\\n\\)").matcher(script);
        assertThat(m.find()).as("the PKGS=( ... ) list of bin/install-deps").isTrue();
        Set<String> installed = new LinkedHashSet<>();
        for (String line : m.group(1).split("\n")) {
            String l = line.replaceAll("#.*", "").strip();
            if (!l.isEmpty()) {
                installed.addAll(List.of(l.split("\\s+")));
            }
        }
        Set<String> table = new LinkedHashSet<>(List.of(Doctor.JDK_PACKAGE));
        Doctor.TABLE.forEach(r -> table.addAll(r.packageList()));
        assertThat(installed).as("bin/install-deps's packages against Doctor.TABLE's").containsExactlyInAnyOrderElementsOf(table);
    }

    @Test
    void theDoctorChecksTheDemosPorts() throws IOException {
        String demo = Files.readString(root.resolve("conf/demo.yaml"));
        assertThat(demo).contains("http-port: " + Doctor.DEMO_HTTP_PORT, "rtsp-port: " + Doctor.DEMO_RTSP_PORT,
                "127.0.0.1:" + Doctor.DEMO_SIMULATOR_PORT + "/", "127.0.0.1:" + Doctor.DEMO_ONVIF_PORT + "/");
    }

    // ---- the scanner itself: each way the code writes an element is found

    @Test
    void theScannerFindsElementsInEveryFormTheCodeWritesThem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("A.java"), """
                class A {
                    // comment ! notanelement ! neither
                    List<String> argv = List.of("gst-launch-1.0", "-q", "videotestsrc", "num-buffers=" + n, "!",
                            "video/x-raw,width=" + w, "!", "x264enc", "font-desc=Sans " + px, "!", "filesink",
                            "location=" + out, "appsrc", "!", "mix.sink_0");
                    Pipeline p = Gst.parseLaunch("rtspsrc location=" + url("/live/cam-1") + " protocols=tcp ! "
                            + parse + " ! fakesink sync=false");
                    String decode = h264 ? "avdec_h264" : "vp9dec";
                    Element e = ElementFactory.make("queue2", null);
                    String convert = "videoconvert";
                    String help = "GStreamer's chain alone (gst-launch-1.0 rtspsrc ! depay ! parse ! fakesink), once.";
                }
                """);
        Files.writeString(dir.resolve("b.py"), """
                # rtph265pay in a comment
                encoders = {"h264": "x265enc a=1 ! " "rtph264pay name=pay0", "vp8": "vp8enc ! rtpvp8pay"}
                launch = "( videotestsrc is-live=true ! " + encoders["h264"] + " )"
                """);
        Files.writeString(dir.resolve("c.sh"), """
                #!/bin/sh
                # jpegenc in a comment
                if ! grep -q x file; then exit 1; fi
                gst-launch-1.0 -q rtspsrc location=x ! rtph264depay ! h264parse ! identity ! fakesink
                """);
        SourceScanner s = new SourceScanner(dir);
        Set<String> known = Set.of("videotestsrc", "x264enc", "filesink", "appsrc", "rtspsrc", "fakesink", "avdec_h264",
                "queue2", "videoconvert", "x265enc", "rtph264pay", "vp8enc", "rtpvp8pay", "rtph264depay", "h264parse",
                "identity", "jpegenc", "rtph265pay");
        assertThat(names(s, dir.resolve("A.java"), known)).containsExactlyInAnyOrder("videotestsrc", "x264enc", "filesink",
                "appsrc", "rtspsrc", "fakesink", "avdec_h264", "queue2", "videoconvert");
        // not in the registry, but at an element position: found all the same (a plugin this machine lacks)
        assertThat(names(s, dir.resolve("A.java"), Set.of())).contains("videotestsrc", "x264enc", "filesink", "appsrc",
                "rtspsrc", "fakesink", "queue2").doesNotContain("vp9dec", "avdec_h264", "notanelement", "neither", "depay",
                "parse", "alone", "once");
        assertThat(names(s, dir.resolve("b.py"), known)).containsExactlyInAnyOrder("x265enc", "rtph264pay", "vp8enc",
                "rtpvp8pay", "videotestsrc");
        assertThat(names(s, dir.resolve("c.sh"), known)).containsExactlyInAnyOrder("rtspsrc", "rtph264depay", "h264parse",
                "identity", "fakesink");
        assertThat(names(s, dir.resolve("c.sh"), Set.of())).doesNotContain("grep").contains("rtph264depay", "h264parse");
    }

    private static Set<String> names(SourceScanner s, Path file, Set<String> registry) throws IOException {
        return s.elements(file, registry).stream().map(SourceScanner.Use::name).collect(Collectors.toSet());
    }

    @Test
    void theDoctorNamesAMissingElementAndThePackageThatFixesIt() {
        Doctor.Report r = Doctor.check(new Doctor.Scope(EnumSet.of(Use.DEMO), null, List.of()));
        // on this machine everything is present (CI runs bin/install-deps first); the fix line is built from the
        // problems' packages, in table order, each once
        Doctor.Report broken = new Doctor.Report(r.lines(), List.of(
                new Doctor.Problem("element timeoverlay: not installed", List.of("gstreamer1.0-x")),
                new Doctor.Problem("element x264enc: not installed", List.of("gstreamer1.0-plugins-ugly")),
                new Doctor.Problem("command ffprobe: not found", List.of("ffmpeg")),
                new Doctor.Problem("command ffmpeg: not found", List.of("ffmpeg"))), r.notes());
        assertThat(broken.packages()).containsExactly("gstreamer1.0-x", "gstreamer1.0-plugins-ugly", "ffmpeg");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Doctor.print(broken, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .containsPattern("fix: (sudo )?apt-get install -y --no-install-recommends gstreamer1.0-x gstreamer1.0-plugins-ugly ffmpeg\\n");
    }
}

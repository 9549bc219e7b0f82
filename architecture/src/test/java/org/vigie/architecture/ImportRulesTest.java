package org.vigie.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module boundaries, one rule each with its reason, checked on the production classes of every module (test
 * classes and test-jars are not imported). A rule fails the build, naming the offending class and dependency,
 * when a boundary is crossed.
 */
@AnalyzeClasses(packages = "org.vigie",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportRulesTest.NoTestJars.class})
class ImportRulesTest {

    /** Test-jars (such as the recorder's fixtures used by the benchmarks) are test code, not production code. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar") && !location.contains("/test-classes/");
        }
    }

    private static final String[] NATIVE = {"org.vigie.gst..", "org.vigie.systemd.."};
    private static final String[] UPPER = {"org.vigie.ingest..", "org.vigie.gst..", "org.vigie.systemd..",
        "org.vigie.camera..", "org.vigie.rtsp..", "org.vigie.playback..", "org.vigie.server..",
        "org.vigie.simulator..", "org.vigie.launcher..", "org.vigie.bench..", "org.vigie.testing.."};

    @ArchTest
    static final ArchRule baseKnowsNoOtherModule = noClasses()
            .that().resideInAnyPackage("org.vigie.base..", "org.vigie.media..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(UPPER,
                    "org.vigie.recorder..", "org.vigie.stream..", "io.netty..", "org.freedesktop.gstreamer..",
                    "com.sun.jna.."))
            .because("base is the media model every module shares: it must not drag any module or library along");

    @ArchTest
    static final ArchRule recorderKnowsNeitherNettyNorGStreamer = noClasses()
            .that().resideInAnyPackage("org.vigie.recorder..", "org.vigie.stream..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(UPPER,
                    "io.netty..", "org.freedesktop.gstreamer..", "com.sun.jna.."))
            .because("the recorder is plain Java storage: it is tested and reasoned about without network nor native"
                    + " code, and every engine and edge feeds it through the StreamHub");

    @ArchTest
    static final ArchRule onlyNativeTouchesGStreamer = noClasses()
            .that().resideOutsideOfPackages(NATIVE)
            .should().dependOnClassesThat().resideInAnyPackage("org.freedesktop.gstreamer..", "com.sun.jna..")
            .because("native is the one module whose failures can crash the JVM; the rest stays pure Java");

    @ArchTest
    static final ArchRule ingestKnowsNoEngineImplementation = noClasses()
            .that().resideInAPackage("org.vigie.ingest..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(NATIVE, "org.vigie.recorder..",
                    "org.vigie.stream..", "org.vigie.playback..", "org.vigie.server..", "org.vigie.simulator.."))
            .because("the supervisor and the engine choice see GStreamer's engine only through IngestEngine, which"
                    + " the server wires in: they are tested without GStreamer, and native never sits under them");

    @ArchTest
    static final ArchRule nativeOnlyProvidesAnEngine = noClasses()
            .that().resideInAnyPackage(NATIVE)
            .should().dependOnClassesThat().haveFullyQualifiedName("org.vigie.ingest.CameraSupervisor")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.vigie.ingest.IngestEngines")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.vigie.ingest.JavaIngestSession")
            .orShould().dependOnClassesThat().resideInAnyPackage("org.vigie.rtsp..", "org.vigie.recorder..",
                    "org.vigie.stream..", "org.vigie.playback..", "org.vigie.server..")
            .because("data flows supervisor -> IngestEngine <- GStreamer's engine: native implements the engine"
                    + " interface and knows neither the supervisor, the engine choice nor the Java engine");

    @ArchTest
    static final ArchRule rtspLibraryKnowsNoEdge = noClasses()
            .that().resideInAPackage("org.vigie.rtsp..")
            .should().dependOnClassesThat().resideInAnyPackage("org.vigie.playback..", "org.vigie.server..",
                    "org.vigie.simulator..", "org.vigie.launcher..", "org.vigie.bench..", "org.vigie.recorder..",
                    "org.vigie.ingest..")
            .because("rtsp is the one RTSP/RTP library shared by the client, the re-stream and the simulator");

    /**
     * Issue 11: the ideas of the rtsp library exist once. Before it, the simulator and the re-stream each kept their
     * own SDP, Range header, avcC parsing, packetizer, interleaved framing, RTP numbering, RTCP, UDP port pair and
     * Digest code, and fixes reached one copy only. A class named after one of those ideas outside org.vigie.rtsp
     * is such a copy: extend the library's class instead.
     */
    @ArchTest
    static final ArchRule theRtspIdeasExistOnlyInTheRtspLibrary = noClasses()
            .that().resideOutsideOfPackage("org.vigie.rtsp..")
            .should().haveSimpleNameContaining("SessionDescription")
            .orShould().haveSimpleNameStartingWith("Sdp")
            .orShould().haveSimpleNameContaining("RangeHeader")
            .orShould().haveSimpleNameContaining("AvcConfig")
            .orShould().haveSimpleNameContaining("HevcConfig")
            .orShould().haveSimpleNameContaining("Packetizer")
            .orShould().haveSimpleNameStartingWith("Interleaved")
            .orShould().haveSimpleNameEndingWith("MediaOutput")
            .orShould().haveSimpleNameEndingWith("UdpOutput")
            .orShould().haveSimpleNameEndingWith("MediaPorts")
            .orShould().haveSimpleNameEndingWith("PortPair")
            .orShould().haveSimpleName("RtpStream")
            .orShould().haveSimpleName("Rtcp")
            .orShould().haveSimpleNameContaining("RtcpPacket")
            .orShould().haveSimpleNameContaining("SenderReport")
            .orShould().haveSimpleNameContaining("Digest")
            .because("one RTSP/RTP library (org.vigie.rtsp) serves the client, the re-stream and the simulator: "
                    + "SDP, Range, parameter sets, packetizers, interleaved framing, RTP/RTCP and Digest live there once");

    @ArchTest
    static final ArchRule cameraDriversDoNotKnowTheServer = noClasses()
            .that().resideInAPackage("org.vigie.camera..")
            .should().dependOnClassesThat().resideInAnyPackage("org.vigie.server..", "org.vigie.playback..",
                    "org.vigie.ingest..", "org.vigie.simulator..", "org.vigie.launcher..", "org.vigie.bench..")
            .because("camera-drivers speak to cameras only; the server wires them, not the other way round");

    @ArchTest
    static final ArchRule playbackDoesNotKnowTheServer = noClasses()
            .that().resideInAPackage("org.vigie.playback..")
            .should().dependOnClassesThat().resideInAnyPackage("org.vigie.server..", "org.vigie.launcher..",
                    "org.vigie.simulator..", "org.vigie.bench..")
            .because("playback gets rights and media through its two ports (PlaybackAccess, MediaSources), which"
                    + " the server implements");

    @ArchTest
    static final ArchRule serverUsesPlaybackThroughItsFacade = noClasses()
            .that().resideInAPackage("org.vigie.server..")
            .should().dependOnClassesThat().resideInAnyPackage("org.vigie.playback.ws..", "org.vigie.playback.rtsp..",
                    "org.vigie.playback.archive..")
            .because("the API and the wiring reach playback through org.vigie.playback (Playback and its ports)"
                    + " and export's EvidenceVerifier (vms verify), never its sessions and channels");

    @ArchTest
    static final ArchRule noProductionCodeDependsOnTheSimulator = noClasses()
            .that().resideOutsideOfPackages("org.vigie.simulator..", "org.vigie.launcher..", "org.vigie.bench..")
            .should().dependOnClassesThat().resideInAPackage("org.vigie.simulator..")
            .because("the running server (vms run) does not ship simulated cameras; only vms demo/simulate"
                    + " (launcher) and the load harnesses (bench) do");

    @ArchTest
    static final ArchRule nothingDependsOnTheBenchmarks = noClasses()
            .that().resideOutsideOfPackage("org.vigie.bench..")
            .should().dependOnClassesThat().resideInAPackage("org.vigie.bench..")
            .because("benchmarks live in their own jar, never in a production one");

    @ArchTest
    static final ArchRule nothingDependsOnTheLauncher = noClasses()
            .that().resideOutsideOfPackages("org.vigie.launcher..", "org.vigie.bench..")
            .should().dependOnClassesThat().resideInAPackage("org.vigie.launcher..")
            .because("the launcher sits on top (server + simulator); nothing below may know the demo");

    @ArchTest
    static final ArchRule clusterKnowsOnlyZooKeeper = noClasses()
            .that().resideInAPackage("org.vigie.cluster..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(UPPER,
                    "org.vigie.recorder..", "org.vigie.stream..", "org.freedesktop.gstreamer..", "com.sun.jna.."))
            .because("the cluster module places cameras on nodes over ZooKeeper and nothing else: the server hands it"
                    + " the cameras and follows its assignment (AssignmentListener), so its rules are tested alone");

    @ArchTest
    static final ArchRule noProductionCodeUsesTestFixtures = noClasses()
            .that().resideOutsideOfPackages("org.vigie.testing..", "org.vigie.bench..")
            .should().dependOnClassesThat().resideInAPackage("org.vigie.testing..")
            .because("test-support holds test fixtures, used with scope test only (and by the load harnesses, which"
                    + " run the tests' fixtures in a jar of their own that nothing depends on)");

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

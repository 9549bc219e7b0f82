package org.vigie.playback.ws;

import org.vigie.testing.StreamClient;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.Await;
import org.vigie.testing.TestClip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.playback.CameraInfo;
import org.vigie.playback.MediaSources;
import org.vigie.playback.PlaybackAccess;
import org.vigie.playback.Right;
import org.vigie.playback.Viewer;
import org.vigie.stream.StreamHub;

/**
 * The endpoint over real sockets, with real H.264 (the simulator's clip) fed into a real {@link StreamHub} and a
 * real recorder's archive; ffprobe checks what the client received. GStreamer ingest is not involved here (the
 * acceptance ITs do that).
 */
class StreamEndpointTest {

    static final String TOKEN = "Bearer good";
    static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z in µs

    @TempDir
    Path dir;

    TestClip clip = TestClip.of(100);
    StreamHub hub = new StreamHub(StreamKey.main("cam-1"), new FrameSink() {
        @Override
        public void onFrame(Frame frame) {
        }

        @Override
        public void onSessionEnd(long sessionId) {
        }
    });
    /** The same camera on a hub as the server makes them: cold until watched (issue 11: no GOP cached). */
    StreamHub coldHub = new StreamHub(StreamKey.main("cam-3"), new FrameSink() {
        @Override
        public void onFrame(Frame frame) {
        }

        @Override
        public void onSessionEnd(long sessionId) {
        }
    }, InstantSource.system(), Duration.ofMinutes(10));
    volatile long cameraWall0;
    StreamEndpoint endpoint;
    EventLoopGroup group;
    Channel server;
    Thread camera;
    AtomicBoolean running = new AtomicBoolean(true);
    int port;
    /** What the fake access says now: the token still valid, the live right on cam-1 still granted. */
    volatile boolean tokenValid = true;
    volatile boolean liveRight = true;
    /** The masks the access port answers for every camera (issue 14). */
    volatile org.vigie.base.privacy.MaskSet cameraMasks = org.vigie.base.privacy.MaskSet.NONE;

    /** A user of the fake access: the cameras granted. */
    record User(String username, Set<String> cameras) implements Viewer {
    }

    @BeforeEach
    void start() throws Exception {
        // 20 s of archive for cam-1 from T0, recorded through the real recorder.
        Path storage = dir.resolve("storage");
        try (Recorder rec = Recorder.open(RecorderConfig.defaults(storage)
                .withDurations(Duration.ofSeconds(10), Duration.ofSeconds(1)).withQueue(1, 1_000), InstantSource.system())) {
            FrameSink sink = rec.sink(StreamKey.main("cam-1"));
            for (int n = 0; n < 20 * clip.fps; n++) sink.onFrame(clip.frame(7, n, T0));
            sink.onSessionEnd(7);
        }
        ArchiveReader archive = new ArchiveReader(Catalog.load(storage));
        sources = new MediaSources() {
            @Override
            public Optional<StreamHub> hub(StreamKey key) {
                if (key.equals(coldHub.key())) return Optional.of(coldHub);
                return key.equals(hub.key()) ? Optional.of(hub) : Optional.empty();
            }

            @Override
            public ArchiveReader archive() {
                return archive;
            }
        };
        access = new PlaybackAccess() {
            @Override
            public Optional<Viewer> authenticate(String authorization) {
                return TOKEN.equals(authorization) && tokenValid ? Optional.of(new User("alice", Set.of("cam-1", "cam-3")))
                        : Optional.empty();
            }

            @Override
            public Optional<Viewer> login(String username, String password, String remote) {
                return Optional.empty();
            }

            @Override
            public Optional<Viewer> current(String username) {
                return Optional.empty();
            }

            @Override
            public Optional<CameraInfo> camera(String cameraId) {
                return Optional.of(new CameraInfo(cameraId, cameraId, null));
            }

            @Override
            public boolean may(Viewer v, Right right, String cameraId) {
                return ((User) v).cameras().contains(cameraId) && (right != Right.LIVE_VIEW || liveRight);
            }

            @Override
            public void auditView(Viewer v, String cameraId, boolean archive, Map<String, Object> detail) {
            }

            @Override
            public void auditExport(Viewer v, String cameraId, String reason, Map<String, Object> detail) {
            }

            @Override
            public void auditDenied(Viewer v, String cameraId, Map<String, Object> detail) {
            }

            @Override
            public org.vigie.base.privacy.MaskSet masks(Viewer v, String cameraId,
                                                        org.vigie.playback.MaskLift lift, Map<String, Object> d) {
                return cameraMasks;
            }
        };
        endpoint = new StreamEndpoint(sources, access, null, Duration.ofMillis(200));
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("codec", new HttpServerCodec()).addLast("agg", new HttpObjectAggregator(65536))
                                .addLast("api", new NotFound());
                        endpoint.install(ch.pipeline(), "agg");
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
        // The live camera: the clip at 25 fps into the hub, wall time = now.
        camera = new Thread(() -> {
            long wall0 = System.currentTimeMillis() * 1000;
            cameraWall0 = wall0;
            long start = System.nanoTime();
            for (int n = 0; running.get(); n++) {
                hub.onFrame(clip.frame(9, n, wall0));
                coldHub.onFrame(clip.frame(9, n, wall0));
                long due = start + (n + 1) * 40_000_000L;
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "test-camera");
        camera.start();
    }

    @AfterEach
    void stop() throws Exception {
        running.set(false);
        camera.join();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        endpoint.close();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + StreamEndpoint.PATH);
    }

    MediaSources sources;
    PlaybackAccess access;

    @Test
    void liveAndArchiveChannelsOnOneConnectionAreValidFmp4() throws Exception {
        Instant from = Instant.EPOCH.plus(T0 + 5_500_000, java.time.temporal.ChronoUnit.MICROS);
        try (StreamClient c = StreamClient.connect(uri(), TOKEN)) {
            c.open(1, "cam-1", "live", null);
            c.open(2, "cam-1", "archive", "\"from\":\"" + from + "\",\"rate\":4");
            c.open(3, "cam-1", "archive", "\"from\":\"" + from + "\",\"rate\":16");
            Await.until("50 live and 50 archive fragments, and the end of the 16x replay", Duration.ofSeconds(20),
                    () -> c.fragments(1) >= 50 && c.fragments(2) >= 50 && !c.events("ended", 3).isEmpty(),
                    () -> "fragments " + c.fragments(1) + "/" + c.fragments(2) + "/" + c.fragments(3) + ", events "
                            + c.events);
            c.close(); // what was received so far is what ffprobe reads

            assertThat(c.events("opened", 1).get(0).path("mime").asText()).startsWith("video/mp4; codecs=\"avc1.");
            for (int ch = 1; ch <= 3; ch++) {
                Ffprobe.Probe p = Ffprobe.probe(c.media(ch), dir, "channel-" + ch);
                assertThat(p.codec()).as("channel %d", ch).isEqualTo("h264");
                assertThat(p.width()).isEqualTo(320);
                assertThat(p.frames()).as("channel %d", ch).isEqualTo((int) c.fragments(ch));
            }
            // The archive replay starts at the key frame at or before 'from': within one GOP before it.
            long first = c.headers(2).stream().filter(h -> h.type() == MediaMessage.FRAGMENT).findFirst()
                    .orElseThrow().wallMicros();
            long fromMicros = T0 + 5_500_000;
            assertThat(first).isLessThanOrEqualTo(fromMicros)
                    .isGreaterThan(fromMicros - clip.gopFrames() * 1_000_000L / clip.fps);
            // Above 4x, key frames only: 14.5 s of archive from 5 s at one key frame per GOP.
            long keys = c.headers(3).stream().filter(h -> h.type() == MediaMessage.FRAGMENT).count();
            assertThat(keys).isEqualTo((20_000_000L - (first - T0)) / (clip.gopFrames() * 1_000_000L / clip.fps));
        }
    }

    @Test
    void aColdCamerasFirstLiveViewerStartsOnAKeyFrameWithNoDropReported() throws Exception {
        Thread.sleep(clip.gopFrames() * 1000L / clip.fps / 2); // mid-GOP: no GOP cached to start on
        try (StreamClient c = StreamClient.connect(uri(), TOKEN)) {
            c.open(1, "cam-3", "live", null);
            Await.until("30 live fragments", Duration.ofSeconds(20), () -> c.fragments(1) >= 30,
                    () -> "fragments " + c.fragments(1) + ", events " + c.events);
            c.close();
            long first = c.headers(1).stream().filter(h -> h.type() == MediaMessage.FRAGMENT).findFirst()
                    .orElseThrow().wallMicros();
            int n = (int) ((first - cameraWall0) / (1_000_000L / clip.fps));
            assertThat(clip.frame(9, n, cameraWall0).keyFrame()).as("the first frame sent (frame %d) is a key frame", n)
                    .isTrue();
            assertThat(Ffprobe.probe(c.media(1), dir, "cold").frames()).isEqualTo((int) c.fragments(1));
            assertThat(c.events("dropped", 1)).as("frames skipped before the first key frame").isEmpty();
        }
    }

    @Test
    void archivePacesAtTheRequestedRateAndHonoursPauseStepAndSeek() throws Exception {
        Instant from = Instant.EPOCH.plus(T0, java.time.temporal.ChronoUnit.MICROS);
        try (StreamClient c = StreamClient.connect(uri(), TOKEN)) {
            long t0 = System.nanoTime();
            c.open(2, "cam-1", "archive", "\"from\":\"" + from + "\",\"rate\":2");
            Await.until("the condition", Duration.ofSeconds(20), () -> c.fragments(2) >= 100); // 4 s of archive at 2x: about 2 s
            double seconds = (System.nanoTime() - t0) / 1e9;
            // paced, not burst: never sooner than rate 2 allows (less the first GOP, sent at once); a loaded machine
            // may take longer, which says nothing of the pacing (bin/vms bench playback measures it, not a test)
            assertThat(seconds).as("seconds to serve 4 s of archive at rate 2").isGreaterThanOrEqualTo(1.6);
            long headers = c.headers(2).size();
            long span = c.headers(2).get((int) headers - 1).wallMicros() - c.headers(2).get(0).wallMicros();
            assertThat(span).as("archive time served in %d frames, µs", headers).isGreaterThanOrEqualTo(3_900_000L);

            // A live channel on the same connection is the yardstick of "a while" (25 frames a second of real time,
            // slowed by a loaded machine as much as the replay would be); its first GOP comes at once.
            c.open(1, "cam-1", "live", null);
            Await.until("the live channel's first frames", Duration.ofSeconds(20), () -> c.fragments(1) >= 30);

            c.send("{\"op\":\"pause\",\"channel\":2}");
            Await.until("the pause acknowledged", Duration.ofSeconds(20), () -> !c.events("paused", 2).isEmpty());
            JsonNode ack = c.events("paused", 2).get(0);
            long paused = ack.path(StreamClient.FRAGMENTS_BEFORE).asLong();
            List<StreamClient.Header> before = fragmentHeaders(c, 2);
            // the acknowledgement comes behind the last frame sent before the pause, and names it
            assertThat(micros(Instant.parse(ack.path("at").asText())))
                    .as("'paused' names the last frame received before it").isEqualTo(before.get((int) paused - 1).wallMicros());
            long live = c.fragments(1);
            Await.until("10 live frames after the pause", Duration.ofSeconds(20), () -> c.fragments(1) >= live + 10);
            assertThat(c.fragments(2)).as("archive frames after 'paused', while 10 live frames came (rate 2: 20 would)")
                    .isEqualTo(paused);
            c.send("{\"op\":\"step\",\"channel\":2}");
            Await.until("the condition", Duration.ofSeconds(20), () -> c.fragments(2) == paused + 1);
            assertThat(fragmentHeaders(c, 2).get((int) paused).wallMicros()).as("the step sends the next frame: the"
                    + " replay did not move while paused").isEqualTo(before.get((int) paused - 1).wallMicros()
                    + 1_000_000L / clip.fps);

            Instant to = from.plusSeconds(15).plusMillis(300);
            c.send("{\"op\":\"seek\",\"channel\":2,\"to\":\"" + to + "\"}");
            c.send("{\"op\":\"step\",\"channel\":2}");
            Await.until("the condition", Duration.ofSeconds(20), () -> !c.events("seeked", 2).isEmpty() && c.fragments(2) == paused + 2);
            long afterSeek = c.headers(2).get(c.headers(2).size() - 1).wallMicros();
            assertThat(afterSeek).isEqualTo(T0 + 15_000_000); // the key frame at or before 15.3 s (1 s GOP)

            c.send("{\"op\":\"resume\",\"channel\":2}");
            Await.until("the condition", Duration.ofSeconds(20), () -> !c.events("ended", 2).isEmpty());
            assertThat(c.events("resumed", 2)).as("%s", c.events).hasSize(1);
            assertThat(c.events("resumed", 2).get(0).path(StreamClient.FRAGMENTS_BEFORE).asLong())
                    .as("'resumed' comes before the first frame after it").isEqualTo(paused + 2);
            c.close();
            Ffprobe.Probe p = Ffprobe.probe(c.media(2), dir, "seeked");
            assertThat(p.frames()).isEqualTo((int) c.fragments(2));
        }
    }

    static List<StreamClient.Header> fragmentHeaders(StreamClient c, int channel) {
        return c.headers(channel).stream().filter(h -> h.type() == StreamClient.FRAGMENT).toList();
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    @Test
    void refusesUnauthenticatedConnectionsAndChannelsWithoutRight() throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> StreamClient.connect(uri(), "Bearer wrong"));
        assertThat(e).hasStackTraceContaining("401");

        try (StreamClient c = StreamClient.connect(uri(), TOKEN)) {
            c.open(4, "cam-2", "live", null);
            c.open(5, "cam-1", "live", "\"stream\":\"sub\"");
            c.send("{\"op\":\"open\",\"channel\":6,\"camera\":\"../etc\"}");
            c.send("{\"op\":\"speed\",\"channel\":7,\"rate\":32}");
            Await.until("the condition", Duration.ofSeconds(20), () -> c.events.size() >= 4);
            assertThat(c.events("error", 4).get(0).path("status").asInt()).isEqualTo(403);
            assertThat(c.events("error", 5).get(0).path("status").asInt()).isEqualTo(404);
            assertThat(c.events("error", 6).get(0).path("status").asInt()).isEqualTo(400);
            assertThat(c.events("error", 7).get(0).path("status").asInt()).isEqualTo(400);
            assertThat(c.fragments(4) + c.fragments(5)).isZero();
        }
    }

    /** Found by the low-privilege fuzz (issue 9): {@code "channel":1.5} opened channel 1. */
    @Test
    void aChannelIdThatIsNotAnIntegerOpensNothing() throws Exception {
        try (StreamClient c = StreamClient.connect(uri(), TOKEN)) {
            c.send("{\"op\":\"open\",\"channel\":1.5,\"camera\":\"cam-1\",\"mode\":\"live\"}");
            c.send("{\"op\":\"open\",\"channel\":\"2\",\"camera\":\"cam-1\",\"mode\":\"live\"}");
            Await.until("two refusals", Duration.ofSeconds(20), () -> c.events.size() >= 2);
            assertThat(c.events).as("%s", c.events).allSatisfy(e -> {
                assertThat(e.path("event").asText()).isEqualTo("error");
                assertThat(e.path("status").asInt()).isEqualTo(400);
            });
            assertThat(c.events("opened", 1)).isEmpty();
        }
    }

    @Test
    void aWithdrawnRightEndsItsChannelAndRevokedCredentialsCloseTheConnection() throws Exception {
        Instant from = Instant.EPOCH.plus(T0, java.time.temporal.ChronoUnit.MICROS);
        try (StreamClient c = StreamClient.connect(uri(), TOKEN)) {
            c.open(1, "cam-1", "live", null);
            c.open(2, "cam-1", "archive", "\"from\":\"" + from + "\",\"rate\":0.25");
            Await.until("the condition", Duration.ofSeconds(20), () -> c.fragments(1) >= 5 && c.fragments(2) >= 2);

            liveRight = false; // the live right withdrawn; the archive right stays
            Await.until("the condition", Duration.ofSeconds(20), () -> !c.events("error", 1).isEmpty());
            assertThat(c.events("error", 1).get(0).path("status").asInt()).isEqualTo(403);
            assertThat(c.events("error", 1).get(0).path("message").asText()).contains("withdrawn");
            long live = c.fragments(1);
            long archive = c.fragments(2);
            Await.until("the condition", Duration.ofSeconds(20), () -> c.fragments(2) >= archive + 2); // the archive channel goes on
            assertThat(c.fragments(1)).as("live fragments after the right was withdrawn").isEqualTo(live);
            assertThat(c.closeStatus).isEqualTo(-1);

            tokenValid = false; // the token revoked: the whole connection goes
            Await.until("the condition", Duration.ofSeconds(20), () -> c.closeStatus != -1);
            assertThat(c.closeStatus).isEqualTo(1008);
            assertThat(c.closeReason).contains("no longer valid");
            Await.until("the condition", Duration.ofSeconds(20), () -> endpoint.connections() == 0);
        }
    }

    @Test
    void browsersAuthenticateWithTheSubprotocol() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        java.net.http.WebSocket ws = http.newWebSocketBuilder().subprotocols("vigie.stream.v1", "bearer.good")
                .buildAsync(uri(), new java.net.http.WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("vigie.stream.v1");
        ws.abort();
    }

    static final org.vigie.base.privacy.MaskSet DOOR = new org.vigie.base.privacy.MaskSet(3, java.util.List.of(
            new org.vigie.base.privacy.PrivacyMask("door", org.vigie.base.privacy.PrivacyMask.Kind.PERMANENT,
                    java.util.List.of(new org.vigie.base.privacy.PrivacyMask.Point(0, 0),
                            new org.vigie.base.privacy.PrivacyMask.Point(0.5, 0),
                            new org.vigie.base.privacy.PrivacyMask.Point(0.5, 0.5)))));

    /** Issue 14: a camera with masks in force never reaches a connection that does not draw them. */
    @Test
    void aMaskedCameraIsRefusedToAConnectionThatDoesNotDrawMasks() throws Exception {
        cameraMasks = DOOR;
        String own = "http://127.0.0.1:" + port;
        try (StreamClient plain = StreamClient.connect(uri(), TOKEN);
             StreamClient foreign = StreamClient.connect(uri(), TOKEN, "http://evil.example")) {
            for (StreamClient c : java.util.List.of(plain, foreign)) {
                c.open(1, "cam-1", "live", null);
                Await.until("the refusal", Duration.ofSeconds(20), () -> !c.events("error", 1).isEmpty());
                assertThat(c.events("error", 1).get(0).path("status").asInt()).isEqualTo(403);
                assertThat(c.events("error", 1).get(0).path("message").asText())
                        .contains("has privacy masks and this connection does not draw them");
            }
            Thread.sleep(300);
            assertThat(plain.fragments(1) + foreign.fragments(1)).as("never the raw bytes").isZero();
            assertThat(own).isNotEqualTo("http://evil.example");
        }
    }

    /** Issue 14: the server's own page (same origin, the flag) gets the masks with the video, and their changes. */
    @Test
    void theServersOwnPageGetsTheMasksInOpenedAndEveryNewVersion() throws Exception {
        cameraMasks = DOOR;
        try (StreamClient c = StreamClient.connect(uri(), TOKEN, "http://127.0.0.1:" + port)) {
            c.open(1, "cam-1", "live", null);
            Await.until("opened", Duration.ofSeconds(20), () -> !c.events("opened", 1).isEmpty() && c.fragments(1) > 3);
            com.fasterxml.jackson.databind.JsonNode m = c.events("opened", 1).get(0).path("masks");
            assertThat(m.path("version").asLong()).isEqualTo(3);
            assertThat(m.path("polygons").get(0).path("kind").asText()).isEqualTo("permanent");
            assertThat(m.path("polygons").get(0).path("polygon").toString()).isEqualTo("[[0.0,0.0],[0.5,0.0],[0.5,0.5]]");

            cameraMasks = new org.vigie.base.privacy.MaskSet(4, java.util.List.of());
            Await.until("the new version", Duration.ofSeconds(20), () -> !c.events("masks", 1).isEmpty());
            assertThat(c.events("masks", 1).get(0).path("masks").path("version").asLong()).isEqualTo(4);
            assertThat(c.events("masks", 1).get(0).path("masks").path("polygons").size()).isZero();
        }
    }

    /** Issue 14: a mask added while a connection that does not draw masks watches ends that channel. */
    @Test
    void aMaskAddedWhileWatchingEndsTheChannelOfAConnectionThatDoesNotDrawMasks() throws Exception {
        try (StreamClient c = StreamClient.connect(uri(), TOKEN)) {
            c.open(1, "cam-1", "live", null);
            Await.until("video", Duration.ofSeconds(20), () -> c.fragments(1) > 3);
            assertThat(c.events("opened", 1).get(0).path("masks").path("polygons").size()).isZero();
            cameraMasks = DOOR;
            Await.until("the end", Duration.ofSeconds(20), () -> !c.events("error", 1).isEmpty());
            assertThat(c.events("error", 1).get(0).path("message").asText()).contains("has privacy masks");
            long n = c.fragments(1);
            Thread.sleep(500);
            assertThat(c.fragments(1)).as("nothing after the mask came").isEqualTo(n);
        }
    }

    /**
     * Issue 14: with the masked re-encode (MaskedHubs), a connection that does not draw masks gets the live stream
     * with the masks burned in, checked by ffmpeg on the fMP4 it received: uniform black under the mask in every
     * decoded frame, the moving picture elsewhere.
     */
    @Test
    void aConnectionThatDoesNotDrawMasksGetsTheMaskedReEncode() throws Exception {
        cameraMasks = org.vigie.playback.privacy.MaskedFixture.QUARTER;
        try (MaskedServer server = new MaskedServer(1);
             StreamClient c = StreamClient.connect(server.uri(), TOKEN)) {
            c.open(1, "cam-1", "live", null);
            Await.until("2 s of masked video", Duration.ofSeconds(30), () -> c.fragments(1) >= 50
                    || !c.events("error", 1).isEmpty());
            assertThat(c.events("error", 1)).isEmpty();
            assertMaskedBurnedIn(c.media(1), "ws.mp4", 25);
            c.close();
            Await.until("the masked stream stops with its last viewer", Duration.ofSeconds(10),
                    () -> server.hubs.running() == 0);
        }
    }

    /**
     * Issue 14: a connection that does not draw masks reads the archive of a masked camera with the masks burned in
     * (ffmpeg on the fMP4 it received: uniform black under the mask in every decoded frame, the moving picture
     * elsewhere); {@code opened} names the version applied; pause, step and seek work as for the recorded bytes; a
     * second masked channel beyond {@code privacy.max-transcodes} is refused with 503.
     */
    @Test
    void aConnectionThatDoesNotDrawMasksGetsTheMaskedArchive() throws Exception {
        cameraMasks = org.vigie.playback.privacy.MaskedFixture.QUARTER;
        Instant from = Instant.EPOCH.plus(T0, java.time.temporal.ChronoUnit.MICROS);
        try (MaskedServer server = new MaskedServer(1);
             StreamClient c = StreamClient.connect(server.uri(), TOKEN)) {
            c.open(1, "cam-1", "archive", "\"from\":\"" + from + "\",\"rate\":2");
            Await.until("2 s of masked archive", Duration.ofSeconds(30), () -> c.fragments(1) >= 50
                    || !c.events("error", 1).isEmpty(), () -> "events " + c.events);
            assertThat(c.events("error", 1)).as("%s", c.events).isEmpty();
            JsonNode opened = c.events("opened", 1).get(0);
            assertThat(opened.path("masks").path("version").asLong()).as("the mask version applied").isEqualTo(7);
            assertThat(opened.path("burnedIn").asBoolean()).isTrue();

            c.open(2, "cam-1", "archive", "\"from\":\"" + from + "\"");
            Await.until("the refusal", Duration.ofSeconds(20), () -> !c.events("error", 2).isEmpty());
            assertThat(c.events("error", 2).get(0).path("status").asInt()).isEqualTo(503);
            assertThat(c.events("error", 2).get(0).path("message").asText()).contains("privacy.max-transcodes = 1");

            c.send("{\"op\":\"pause\",\"channel\":1}");
            Await.until("the pause acknowledged", Duration.ofSeconds(20), () -> !c.events("paused", 1).isEmpty());
            JsonNode ack = c.events("paused", 1).get(0);
            long paused = ack.path(StreamClient.FRAGMENTS_BEFORE).asLong();
            List<StreamClient.Header> before = fragmentHeaders(c, 1);
            assertThat(micros(Instant.parse(ack.path("at").asText())))
                    .as("'paused' comes behind the pictures the encoder had, and names the last")
                    .isEqualTo(before.get((int) paused - 1).wallMicros());
            c.send("{\"op\":\"step\",\"channel\":1}");
            Await.until("the step's picture", Duration.ofSeconds(20), () -> c.fragments(1) == paused + 1);
            assertThat(fragmentHeaders(c, 1).get((int) paused).wallMicros()).as("the next picture")
                    .isEqualTo(before.get((int) paused - 1).wallMicros() + 1_000_000L / clip.fps);
            Instant to = from.plusSeconds(15).plusMillis(300);
            c.send("{\"op\":\"seek\",\"channel\":1,\"to\":\"" + to + "\"}");
            c.send("{\"op\":\"step\",\"channel\":1}");
            Await.until("the seek and its picture", Duration.ofSeconds(20),
                    () -> !c.events("seeked", 1).isEmpty() && c.fragments(1) == paused + 2);
            assertThat(fragmentHeaders(c, 1).get((int) paused + 1).wallMicros()).as("the key frame at or before the"
                    + " time sought; received %s, events %s", fragmentHeaders(c, 1).stream().skip(paused - 3)
                    .map(h -> h.wallMicros() - T0).toList(), c.events).isEqualTo(T0 + 15_000_000);
            c.send("{\"op\":\"resume\",\"channel\":1}");
            Await.until("the end of the archive", Duration.ofSeconds(30), () -> !c.events("ended", 1).isEmpty());
            c.close();
            assertMaskedBurnedIn(c.media(1), "archive.mp4", 60);
            assertThat(fragmentHeaders(c, 1).get((int) c.fragments(1) - 1).wallMicros())
                    .as("the last picture of the archive").isEqualTo(T0 + 20_000_000 - 1_000_000L / clip.fps);
        }
    }

    /**
     * Issue 14: a masked archive channel opened with {@code thenLive} goes on with the masked live stream at the live
     * edge (its encoder's slot given back first: one slot is enough), every picture masked.
     */
    @Test
    void aMaskedArchiveChannelGoesOnWithTheMaskedLiveStreamAtTheLiveEdge() throws Exception {
        cameraMasks = org.vigie.playback.privacy.MaskedFixture.QUARTER;
        Instant from = Instant.EPOCH.plus(T0 + 18_000_000, java.time.temporal.ChronoUnit.MICROS);
        try (MaskedServer server = new MaskedServer(1);
             StreamClient c = StreamClient.connect(server.uri(), TOKEN)) {
            c.open(1, "cam-1", "archive", "\"from\":\"" + from + "\",\"rate\":2,\"thenLive\":true");
            Await.until("live, and 25 live pictures", Duration.ofSeconds(30), () -> !c.events("error", 1).isEmpty()
                    || !c.events("live", 1).isEmpty() && c.fragments(1) >= c.events("live", 1).get(0)
                    .path(StreamClient.FRAGMENTS_BEFORE).asLong() + 25, () -> "events " + c.events);
            assertThat(c.events("error", 1)).as("%s", c.events).isEmpty();
            assertThat(c.events("live", 1).get(0).path(StreamClient.FRAGMENTS_BEFORE).asLong())
                    .as("archive pictures before the live edge").isGreaterThanOrEqualTo(25);
            c.close();
            int n = 0;
            for (byte[] run : c.runs(1)) {
                List<org.vigie.testing.LumaRange.Frame> under = underMask(run, "edge-" + n++);
                assertThat(under).allSatisfy(f -> assertThat(f.range()).as("luma range under the mask")
                        .isLessThanOrEqualTo(org.vigie.playback.privacy.MaskedFixture.UNIFORM));
            }
            assertThat(c.runs(1).stream().mapToLong(r -> r.length).sum()).isPositive();
        }
    }

    /**
     * Issue 14: a mask change switches the live and archive channels of a connection that does not draw masks,
     * instead of ending them: to the masked stream of the new version (no free transcoding slot needed: both are
     * taken and the live stream's goes to its successor), then to the camera's own bytes when the last mask is
     * removed. Each switch is announced by a {@code masks} event naming the version; ffmpeg checks that nothing
     * before the last one shows the masked area and that the camera's own pictures follow it.
     */
    @Test
    void aMaskChangeSwitchesTheChannelsOfAConnectionThatDoesNotDrawMasks() throws Exception {
        var quarter = org.vigie.playback.privacy.MaskedFixture.QUARTER;
        cameraMasks = quarter;
        Instant from = Instant.EPOCH.plus(T0, java.time.temporal.ChronoUnit.MICROS);
        try (MaskedServer server = new MaskedServer(2);
             StreamClient c = StreamClient.connect(server.uri(), TOKEN)) {
            c.open(1, "cam-1", "live", null);
            c.open(2, "cam-1", "archive", "\"from\":\"" + from + "\"");
            Await.until("1 s of both", Duration.ofSeconds(30), () -> c.fragments(1) >= 25 && c.fragments(2) >= 25
                    || !c.events("error", 1).isEmpty() || !c.events("error", 2).isEmpty(), () -> "events " + c.events);

            cameraMasks = new org.vigie.base.privacy.MaskSet(8, quarter.masks());
            awaitSwitch(c, 8);
            cameraMasks = new org.vigie.base.privacy.MaskSet(9, List.of());
            awaitSwitch(c, 9);
            Await.until("the masked streams stopped, their slots given back", Duration.ofSeconds(10),
                    () -> server.hubs.running() == 0 && server.hubs.burnIn().active() == 0);
            c.close();

            for (int ch = 1; ch <= 2; ch++) {
                assertThat(c.events("error", ch)).as("%s", c.events).isEmpty();
                assertThat(c.events("ended", ch)).isEmpty();
                List<JsonNode> masks = c.events("masks", ch);
                assertThat(masks).extracting(e -> e.path("masks").path("version").asLong()).containsExactly(8L, 9L);
                assertThat(masks).extracting(e -> e.path("burnedIn").asBoolean()).containsExactly(true, false);
                List<byte[]> runs = c.runs(ch);
                assertThat(runs).as("channel %d: the masked stream, then the camera's own (a new init segment)", ch)
                        .hasSizeGreaterThanOrEqualTo(2);
                int masked = 0;
                for (int r = 0; r < runs.size() - 1; r++) {
                    List<org.vigie.testing.LumaRange.Frame> under = underMask(runs.get(r), "switch-" + ch + "-" + r);
                    assertThat(under).as("channel %d, run %d", ch, r).allSatisfy(f -> assertThat(f.range())
                            .as("luma range under the mask").isLessThanOrEqualTo(
                                    org.vigie.playback.privacy.MaskedFixture.UNIFORM));
                    masked += under.size();
                }
                assertThat((long) masked).as("channel %d: masked pictures up to the last 'masks' event", ch)
                        .isGreaterThanOrEqualTo(masks.get(1).path(StreamClient.FRAGMENTS_BEFORE).asLong());
                assertThat(underMask(runs.get(runs.size() - 1), "switch-" + ch + "-raw")).as("channel %d: the"
                        + " camera's own pictures after the last mask was removed", ch).hasSizeGreaterThanOrEqualTo(20)
                        .allSatisfy(f -> assertThat(f.range()).isGreaterThan(
                                org.vigie.playback.privacy.MaskedFixture.PATTERN));
            }
        }
    }

    /** Waits for the {@code masks} event of {@code version} on channels 1 and 2, then 25 pictures after each. */
    static void awaitSwitch(StreamClient c, long version) throws Exception {
        java.util.function.IntFunction<JsonNode> event = ch -> c.events("masks", ch).stream()
                .filter(e -> e.path("masks").path("version").asLong() == version).findFirst().orElse(null);
        Await.until("version " + version + " and 25 pictures after it on both channels", Duration.ofSeconds(30),
                () -> {
                    for (int ch = 1; ch <= 2; ch++) {
                        if (!c.events("error", ch).isEmpty()) return true;
                        JsonNode e = event.apply(ch);
                        if (e == null || c.fragments(ch) < e.path(StreamClient.FRAGMENTS_BEFORE).asLong() + 25) {
                            return false;
                        }
                    }
                    return true;
                }, () -> "events " + c.events + ", fragments " + c.fragments(1) + "/" + c.fragments(2));
    }

    List<org.vigie.testing.LumaRange.Frame> underMask(byte[] media, String name) throws Exception {
        Path mp4 = dir.resolve(name + ".mp4");
        java.nio.file.Files.write(mp4, media);
        return org.vigie.playback.privacy.MaskedFixture.underMask(mp4.toString(), List.of(), 1000);
    }

    /** ffmpeg on {@code media}: at least {@code frames} decoded, black under the mask, the pattern elsewhere. */
    void assertMaskedBurnedIn(byte[] media, String name, int frames) throws Exception {
        Path mp4 = dir.resolve(name);
        java.nio.file.Files.write(mp4, media);
        java.util.List<org.vigie.testing.LumaRange.Frame> under =
                org.vigie.playback.privacy.MaskedFixture.underMask(mp4.toString(), java.util.List.of(), 1000);
        assertThat(under).hasSizeGreaterThanOrEqualTo(frames).allSatisfy(f -> assertThat(f.range())
                .as("luma range under the mask").isLessThanOrEqualTo(org.vigie.playback.privacy.MaskedFixture.UNIFORM));
        assertThat(org.vigie.playback.privacy.MaskedFixture.outsideMask(mp4.toString(), java.util.List.of(), 1000))
                .hasSize(under.size()).allSatisfy(f -> assertThat(f.range()).as("luma range outside the mask")
                        .isGreaterThan(org.vigie.playback.privacy.MaskedFixture.PATTERN));
    }

    /** A second endpoint of the same sources and access, with the burn-in (MaskedHubs) and its own socket. */
    final class MaskedServer implements AutoCloseable {
        final org.vigie.playback.privacy.MaskedHubs hubs;
        final StreamEndpoint endpoint;
        final Channel channel;

        MaskedServer(int maxTranscodes) throws Exception {
            org.vigie.gst.ingest.GstRuntime.ensureInitialized(); // as the server does at start
            hubs = new org.vigie.playback.privacy.MaskedHubs(
                    new org.vigie.playback.privacy.BurnIn(dir.resolve("burn-in"), maxTranscodes));
            endpoint = new StreamEndpoint(sources, access, null, Duration.ofMillis(200), hubs);
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("codec", new HttpServerCodec())
                                    .addLast("agg", new HttpObjectAggregator(65536)).addLast("api", new NotFound());
                            endpoint.install(ch.pipeline(), "agg");
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort()
                    + StreamEndpoint.PATH);
        }

        @Override
        public void close() throws Exception {
            channel.close().sync();
            endpoint.close();
            hubs.close();
        }
    }

    /** Stands for the API: whatever the endpoint passes on is a 404. */
    static final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}

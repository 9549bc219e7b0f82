package org.vigie.simulator.onvif;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.imageio.ImageIO;

/**
 * The ONVIF face of the camera simulator: one Netty HTTP server (one port for all cameras, paths
 * {@code /onvif/<id>/device_service|media_service|ptz_service|events_service}) and a WS-Discovery responder.
 * {@code /onvif/device_service} is an alias of the first camera's device service (the port's default device), for
 * clients that only know the fixed ONVIF path.
 * Start it next to the RTSP simulator, passing each camera's RTSP URL:
 *
 * <pre>{@code
 * try (OnvifSimulator onvif = OnvifSimulator.start("127.0.0.1", 8080,
 *         List.of(new SimulatedCameraInfo("cam-1", "Place Bellecour", "rtsp://127.0.0.1:8554/cam-1")),
 *         new SimulatorCredentials("admin", "secret"))) {
 *     onvif.camera("cam-1").raiseMotion(true);
 * }
 * }</pre>
 *
 * <p>Owns its threads (one event loop group, one scheduler for long polls) and releases them on {@link #close()}.
 */
public final class OnvifSimulator implements AutoCloseable {

    /**
     * How to run the simulator.
     *
     * @param host               address the HTTP server and unicast discovery socket bind to; also used in XAddrs
     * @param httpPort           HTTP port (0 picks a free one)
     * @param credentials        required account, or null for none
     * @param discoveryPort      WS-Discovery port (3702), or -1 to run without discovery
     * @param discoveryInterface interface the multicast group is joined on (the loopback in tests)
     * @param clock              the simulator's clock
     * @param clockSkew          camera clock minus {@code clock}: clients must learn it to authenticate
     * @param tokenTolerance     accepted distance between a UsernameToken's Created and the camera clock
     */
    public record Options(String host, int httpPort, SimulatorCredentials credentials, int discoveryPort,
                          NetworkInterface discoveryInterface, InstantSource clock, Duration clockSkew,
                          Duration tokenTolerance) {

        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(clockSkew, "clockSkew");
            Objects.requireNonNull(tokenTolerance, "tokenTolerance");
            if (discoveryPort >= 0) {
                Objects.requireNonNull(discoveryInterface, "discoveryInterface");
            }
        }

        /** Loopback discovery on 3702, system clock, no skew, 60 s token tolerance. */
        public static Options defaults(String host, int httpPort, SimulatorCredentials credentials) {
            try {
                return new Options(host, httpPort, credentials, 3702, NetworkInterface.getByName("lo"),
                        InstantSource.system(), Duration.ZERO, Duration.ofSeconds(60));
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Options withDiscoveryPort(int port) {
            return new Options(host, httpPort, credentials, port, discoveryInterface, clock, clockSkew, tokenTolerance);
        }

        public Options withClockSkew(Duration skew) {
            return new Options(host, httpPort, credentials, discoveryPort, discoveryInterface, clock, skew, tokenTolerance);
        }
    }

    private final EventLoopGroup group;
    private final ScheduledExecutorService scheduler;
    private final List<SimulatedOnvifCamera> cameras;
    private final Channel http;
    private final WsDiscoveryResponder discovery;
    private final int port;

    private OnvifSimulator(EventLoopGroup group, ScheduledExecutorService scheduler,
                           List<SimulatedOnvifCamera> cameras, Channel http, WsDiscoveryResponder discovery,
                           int port) {
        this.group = group;
        this.scheduler = scheduler;
        this.cameras = cameras;
        this.http = http;
        this.discovery = discovery;
        this.port = port;
    }

    /** Starts with {@link Options#defaults}: discovery on the loopback, port 3702. */
    public static OnvifSimulator start(String host, int httpPort, List<SimulatedCameraInfo> cameras,
                                       SimulatorCredentials credentials) throws InterruptedException {
        return start(Options.defaults(host, httpPort, credentials), cameras);
    }

    public static OnvifSimulator start(Options options, List<SimulatedCameraInfo> infos) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "onvif-sim-timer");
            t.setDaemon(true);
            return t;
        });
        try {
            InstantSource cameraClock = skewed(options.clock(), options.clockSkew());
            UsernameTokenCheck auth = options.credentials() == null ? null
                    : new UsernameTokenCheck(options.credentials(), options.tokenTolerance());
            // Bound before the cameras exist (their addresses need the port): until they are added, requests get 404.
            Map<String, SimulatedOnvifCamera> cameras = new ConcurrentHashMap<>();
            OnvifHttpHandler handler = new OnvifHttpHandler(cameras,
                    options.credentials() == null ? null : new SnapshotAuth(options.credentials()), jpeg());
            Channel http = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new OnvifHttpServerInitializer(handler))
                    .bind(new InetSocketAddress(options.host(), options.httpPort())).sync().channel();
            int port = ((InetSocketAddress) http.localAddress()).getPort();
            List<SimulatedOnvifCamera> ordered = new ArrayList<>();
            for (SimulatedCameraInfo info : infos) {
                String base = "http://" + options.host() + ":" + port + "/onvif/" + info.id() + "/";
                SimulatedOnvifCamera camera = new SimulatedOnvifCamera(info, base, cameraClock, auth, scheduler);
                if (cameras.putIfAbsent(info.id(), camera) != null) {
                    http.close();
                    throw new IllegalArgumentException("duplicate camera id " + info.id());
                }
                ordered.add(camera);
            }
            if (!ordered.isEmpty()) {
                handler.defaultDevice(ordered.get(0));
            }
            WsDiscoveryResponder discovery = null;
            if (options.discoveryPort() >= 0) {
                discovery = new WsDiscoveryResponder(ordered);
                discovery.start(group, options.host(), options.discoveryPort(), options.discoveryInterface());
            }
            return new OnvifSimulator(group, scheduler, ordered, http, discovery, port);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            scheduler.shutdownNow();
            throw e;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            scheduler.shutdownNow();
            throw new IllegalStateException("cannot start the ONVIF simulator: " + e, e);
        }
    }

    public int httpPort() {
        return port;
    }

    public List<SimulatedOnvifCamera> cameras() {
        return cameras;
    }

    public SimulatedOnvifCamera camera(String id) {
        return cameras.stream().filter(c -> c.info().id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no simulated camera " + id));
    }

    /** The WS-Discovery endpoint reference the simulator announces for a camera. */
    public static String endpointReference(SimulatedCameraInfo info) {
        return WsDiscoveryResponder.endpointReference(info);
    }

    static String scopeValue(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static InstantSource skewed(InstantSource clock, Duration skew) {
        return skew.isZero() ? clock : () -> clock.instant().plus(skew);
    }

    private static byte[] jpeg() {
        BufferedImage image = new BufferedImage(64, 36, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(30, 90, 160));
        g.fillRect(0, 0, 64, 36);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
        http.close().syncUninterruptibly();
        scheduler.shutdownNow();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}

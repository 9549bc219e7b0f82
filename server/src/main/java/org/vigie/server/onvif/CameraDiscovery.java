package org.vigie.server.onvif;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.DiscoveredDevice;
import org.vigie.camera.discovery.AddressRange;
import org.vigie.camera.discovery.WsDiscoveryClient;
import org.vigie.server.config.DiscoveryConfig;

/**
 * WS-Discovery of ONVIF cameras for the CLI ({@code bin/vms discover}) and the API ({@code POST /api/v1/discovery}):
 * a multicast probe through the configured interface only, or unicast probes of a bounded address range.
 *
 * <p>A probe blocks its caller for the whole collection window: call it from a worker thread, never an event loop.
 * At most {@value #CONCURRENT_PROBES} probes run at once (each holds a datagram socket and a worker thread for
 * seconds); a further caller is refused at once with {@link Busy} rather than queued. Owns one event-loop thread
 * for the discovery sockets, released by {@link #close()}. Thread-safe.
 */
public final class CameraDiscovery implements AutoCloseable {

    /** Longest collection window accepted. */
    public static final Duration MAX_WINDOW = Duration.ofSeconds(30);
    static final int CONCURRENT_PROBES = 2;

    /** Too many probes are running. */
    public static final class Busy extends Exception {
        Busy() {
            super("a discovery is already running; retry in a few seconds", null, false, false);
        }
    }

    private final EventLoopGroup group;
    private final NetworkInterface networkInterface;
    private final DiscoveryConfig config;
    private final Semaphore running = new Semaphore(CONCURRENT_PROBES);

    private CameraDiscovery(EventLoopGroup group, NetworkInterface networkInterface, DiscoveryConfig config) {
        this.group = group;
        this.networkInterface = networkInterface;
        this.config = config;
    }

    /**
     * Discovery through {@code config.networkInterface()}.
     *
     * @throws SocketException when the machine has no interface of that name
     */
    public static CameraDiscovery open(DiscoveryConfig config) throws SocketException {
        NetworkInterface nif = NetworkInterface.getByName(config.networkInterface());
        if (nif == null) {
            throw new SocketException("no network interface named '" + config.networkInterface()
                    + "' (discovery.interface)");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        return new CameraDiscovery(group, nif, config);
    }

    public String interfaceName() {
        return networkInterface.getName();
    }

    public DiscoveryConfig config() {
        return config;
    }

    /**
     * Probes and collects the answers during {@code window} (the configured timeout when empty).
     *
     * @param range unicast probes of these addresses instead of the multicast probe
     */
    public List<DiscoveredDevice> discover(Optional<AddressRange> range, Optional<Duration> window)
            throws CameraDriverException, InterruptedException, Busy {
        Duration w = window.orElse(config.timeout());
        if (w.isNegative() || w.isZero() || w.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("discovery window must be between 1 ms and " + MAX_WINDOW.toSeconds() + " s");
        }
        if (!running.tryAcquire()) {
            throw new Busy();
        }
        try {
            WsDiscoveryClient client = new WsDiscoveryClient(group, networkInterface, config.port());
            return range.isPresent() ? client.probe(range.get(), w) : client.probe(w);
        } finally {
            running.release();
        }
    }

    /** Probes running now (at most {@link #CONCURRENT_PROBES}). */
    public int probesRunning() {
        return CONCURRENT_PROBES - running.availablePermits();
    }

    /** One line per device, as {@code bin/vms discover} prints it (tab-separated). */
    public static String line(DiscoveredDevice d) {
        return String.join("\t", d.endpointReference(),
                String.join(" ", d.xAddrs().stream().map(Object::toString).toList()),
                "name=" + d.name(), "hardware=" + d.hardware(), "location=" + d.location());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public String toString() {
        return "CameraDiscovery[" + Objects.toString(networkInterface.getName()) + ", port " + config.port() + "]";
    }
}

package org.vigie.camera.discovery;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.DiscoveredDevice;
import org.vigie.camera.onvif.SecureXml;

/**
 * Finds ONVIF cameras with WS-Discovery: sends a {@code Probe} (SOAP over UDP) and collects the
 * {@code ProbeMatches} that relate to it during a time window, de-duplicated by endpoint reference (first
 * answer wins).
 *
 * <p>Multicast probes go to {@code 239.255.255.250:<port>} <em>only</em> through the configured interface: the
 * socket is bound to that interface's IPv4 address, {@code IP_MULTICAST_IF} is pinned to it, the TTL is 1 (the
 * probe never crosses a router) and loopback is on (so cameras simulated on this host answer). Unicast probes
 * reach cameras behind routers, one datagram per address of a bounded {@link AddressRange}.
 *
 * <p>Loopback: on the Debian 12 hosts measured, {@code ip link show lo} shows {@code LOOPBACK,UP,LOWER_UP} without
 * the {@code MULTICAST} flag, yet Linux delivers a datagram sent with {@code IP_MULTICAST_IF=lo} to the sockets that
 * joined the group on {@code lo}; no {@code ip link set lo multicast on} is needed (a packet sniffer on
 * {@code eth0} saw no probe during the end-to-end tests, one on {@code lo} saw them all).
 *
 * <p>A probe call blocks its caller for the collection window (answers arrive in real time); run it off any
 * event loop.
 *
 * <p>Thread-safety: each {@code probe} call uses its own channel; answers are collected on the channel's event
 * loop into a map guarded by its own monitor. The event loop group is injected and not closed here.
 */
public final class WsDiscoveryClient {

    private static final Logger LOG = LoggerFactory.getLogger(WsDiscoveryClient.class);
    private static final int MAX_DATAGRAM = 65_507;
    private static final long REPEAT_DELAY_MS = 100;

    private final EventLoopGroup group;
    private final NetworkInterface multicastInterface;
    private final int port;

    /**
     * @param multicastInterface where multicast probes are sent and from whose address every probe leaves
     *                           (tests and single-host setups: {@code NetworkInterface.getByName("lo")})
     * @param port               the WS-Discovery port cameras listen on ({@value WsDiscoveryMessages#PORT})
     */
    public WsDiscoveryClient(EventLoopGroup group, NetworkInterface multicastInterface, int port) {
        this.group = Objects.requireNonNull(group, "group");
        this.multicastInterface = Objects.requireNonNull(multicastInterface, "multicastInterface");
        this.port = port;
    }

    /** Multicast probe on the configured interface, collecting answers for {@code window}. */
    public List<DiscoveredDevice> probe(Duration window) throws CameraDriverException, InterruptedException {
        InetAddress groupAddress = address(WsDiscoveryMessages.GROUP);
        return probe(List.of(new InetSocketAddress(groupAddress, port)), window);
    }

    /** Unicast probe of every address of {@code range}, collecting answers for {@code window}. */
    public List<DiscoveredDevice> probe(AddressRange range, Duration window)
            throws CameraDriverException, InterruptedException {
        List<InetSocketAddress> targets = new ArrayList<>();
        for (InetAddress a : range.addresses()) {
            targets.add(new InetSocketAddress(a, port));
        }
        return probe(targets, window);
    }

    private List<DiscoveredDevice> probe(Collection<InetSocketAddress> targets, Duration window)
            throws CameraDriverException, InterruptedException {
        UUID messageId = UUID.randomUUID();
        String expected = "urn:uuid:" + messageId;
        Map<String, DiscoveredDevice> found = new LinkedHashMap<>();
        Bootstrap b = new Bootstrap().group(group)
                .channelFactory(() -> new NioDatagramChannel(SocketProtocolFamily.INET))
                .option(ChannelOption.IP_MULTICAST_IF, multicastInterface)
                .option(ChannelOption.IP_MULTICAST_TTL, 1)
                .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        collect(packet, expected, found);
                    }
                });
        Channel channel;
        try {
            channel = b.bind(new InetSocketAddress(interfaceAddress(), 0)).sync().channel();
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new CameraDriverException(CameraDriverException.Kind.UNREACHABLE,
                    "cannot open discovery socket on " + multicastInterface.getName() + ": " + e, e);
        }
        try {
            byte[] probe = WsDiscoveryMessages.probe(messageId).getBytes(StandardCharsets.UTF_8);
            send(channel, probe, targets);
            // SOAP-over-UDP repeats a multicast message once (MULTICAST_UDP_REPEAT): UDP may lose the first copy
            long repeatAfter = Math.min(REPEAT_DELAY_MS, window.toMillis() / 4);
            Thread.sleep(repeatAfter); // answers arrive in real time: the window is the subject here
            if (targets.size() == 1) {
                send(channel, probe, targets);
            }
            Thread.sleep(window.toMillis() - repeatAfter);
        } finally {
            channel.close().await();
        }
        synchronized (found) {
            return List.copyOf(found.values());
        }
    }

    private static void send(Channel channel, byte[] probe, Collection<InetSocketAddress> targets) {
        for (InetSocketAddress target : targets) {
            channel.write(new DatagramPacket(Unpooled.wrappedBuffer(probe), target));
        }
        channel.flush();
    }

    private static void collect(DatagramPacket packet, String expected, Map<String, DiscoveredDevice> found) {
        int size = packet.content().readableBytes();
        if (size > MAX_DATAGRAM) {
            return;
        }
        try {
            var doc = SecureXml.parse(ByteBufUtil.getBytes(packet.content()));
            if (!expected.equals(ProbeMatchParser.relatesTo(doc))) {
                return; // an answer to someone else's probe
            }
            for (DiscoveredDevice d : ProbeMatchParser.matches(doc)) {
                synchronized (found) {
                    found.putIfAbsent(d.endpointReference(), d);
                }
            }
        } catch (CameraDriverException e) {
            LOG.debug("ignored unreadable discovery answer from {}: {}", packet.sender(), e.getMessage());
        }
    }

    private InetAddress interfaceAddress() throws CameraDriverException {
        for (var e = multicastInterface.getInetAddresses(); e.hasMoreElements(); ) {
            InetAddress a = e.nextElement();
            if (a instanceof Inet4Address) {
                return a;
            }
        }
        throw new CameraDriverException(CameraDriverException.Kind.UNREACHABLE,
                "interface " + multicastInterface.getName() + " has no IPv4 address");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The loopback interface, for tests and single-host setups. */
    public static NetworkInterface loopback() throws SocketException {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        if (lo == null) {
            throw new SocketException("no interface named lo");
        }
        return lo;
    }
}

package org.vigie.simulator.onvif;

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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * The WS-Discovery face of the simulator: answers {@code Probe}s for {@code dn:NetworkVideoTransmitter} (or
 * untyped probes) with one {@code ProbeMatches} per simulated camera, whose XAddrs point at its device service.
 *
 * <p>Two sockets: one bound to the group {@code 239.255.255.250:<port>} and joined on the configured interface
 * only (the loopback by default), one bound to {@code <host>:<port>} for unicast probes. Every answer leaves
 * through the unicast socket, to the prober's address: nothing is ever multicast by the responder.
 */
final class WsDiscoveryResponder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WsDiscoveryResponder.class);
    static final String GROUP = "239.255.255.250";
    private static final String WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    private static final String WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery";

    private final List<SimulatedOnvifCamera> cameras;
    private Channel multicast;
    private Channel unicast;

    WsDiscoveryResponder(List<SimulatedOnvifCamera> cameras) {
        this.cameras = List.copyOf(cameras);
    }

    void start(EventLoopGroup group, String host, int port, NetworkInterface iface) throws Exception {
        InetAddress groupAddress = InetAddress.getByName(GROUP);
        unicast = bootstrap(group).bind(new InetSocketAddress(host, port)).sync().channel();
        multicast = bootstrap(group).option(ChannelOption.IP_MULTICAST_IF, iface)
                .bind(new InetSocketAddress(groupAddress, port)).sync().channel();
        ((NioDatagramChannel) multicast).joinGroup(new InetSocketAddress(groupAddress, port), iface).sync();
    }

    private Bootstrap bootstrap(EventLoopGroup group) {
        return new Bootstrap().group(group)
                .channelFactory(() -> new NioDatagramChannel(SocketProtocolFamily.INET))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.IP_MULTICAST_TTL, 1)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        answer(packet);
                    }
                });
    }

    private void answer(DatagramPacket packet) {
        String messageId;
        try {
            Element env = SimulatorXml.parse(ByteBufUtil.getBytes(packet.content())).getDocumentElement();
            Element probe = SimulatorXml.descendant(env, "Probe").orElse(null);
            if (probe == null) {
                return;
            }
            String types = SimulatorXml.text(probe, "Types");
            if (!types.isEmpty() && !types.contains("NetworkVideoTransmitter") && !types.contains("Device")) {
                return;
            }
            messageId = SimulatorXml.text(env, "MessageID");
        } catch (Exception e) {
            LOG.debug("ignored unreadable datagram from {}", packet.sender());
            return;
        }
        for (SimulatedOnvifCamera c : cameras) {
            byte[] bytes = probeMatch(c, messageId).getBytes(StandardCharsets.UTF_8);
            unicast.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), packet.sender()));
        }
    }

    static String endpointReference(SimulatedCameraInfo info) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(("vigie-simulator:" + info.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static String probeMatch(SimulatedOnvifCamera c, String relatesTo) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:a=\"" + WSA + "\" xmlns:d=\"" + WSD + "\" xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\""
                + " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><s:Header>"
                + "<a:MessageID>urn:uuid:" + UUID.randomUUID() + "</a:MessageID>"
                + "<a:RelatesTo>" + SimulatorXml.escape(relatesTo) + "</a:RelatesTo>"
                + "<a:To>" + WSA + "/role/anonymous</a:To><a:Action>" + WSD + "/ProbeMatches</a:Action></s:Header>"
                + "<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>"
                + endpointReference(c.info()) + "</a:Address></a:EndpointReference>"
                + "<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>"
                + "onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/type/ptz "
                + "onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/name/"
                + OnvifSimulator.scopeValue(c.info().name()) + " onvif://www.onvif.org/hardware/SimCam-PTZ "
                + "onvif://www.onvif.org/location/simulator</d:Scopes>"
                + "<d:XAddrs>" + c.deviceServiceUrl() + "</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>"
                + "</d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>";
    }

    @Override
    public void close() {
        if (multicast != null) {
            multicast.close().syncUninterruptibly();
        }
        if (unicast != null) {
            unicast.close().syncUninterruptibly();
        }
    }
}

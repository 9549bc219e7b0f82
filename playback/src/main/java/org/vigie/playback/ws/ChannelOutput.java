package org.vigie.playback.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.vigie.media.Frame;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.playback.MaskLift;

/**
 * The sending side of one channel of a connection: muxes frames ({@link Fmp4Muxer}) into binary messages
 * ({@link MediaMessage}) and writes server events as JSON text messages. Announces the format before the first
 * init segment ({@code opened}, with the MSE codec string) and before any later one ({@code format}).
 *
 * <p>Used by one thread at a time (the event loop for live, the archive reader thread for archive replay; a
 * switch hands it over through an executor). Writes are not flushed: the caller flushes after a batch. Netty
 * orders writes from any thread on the connection's event loop.
 */
final class ChannelOutput {

    static final ObjectMapper JSON = new ObjectMapper();

    private final int id;
    private final Channel channel;
    private final StreamKey key;
    private final String mode;
    private final Fmp4Muxer muxer = new Fmp4Muxer();
    private boolean opened;
    private long framesSent;
    /** The lift asked at the open (kept for the re-checks). */
    private final MaskLift lift;
    /** The privacy masks in force for this channel, announced in {@code opened} and {@code masks} events. */
    private volatile MaskSet masks;
    /** Whether the masks are burned into the pictures sent (a connection that does not draw them). */
    private volatile boolean burnedIn;

    ChannelOutput(int id, Channel channel, StreamKey key, String mode) {
        this(id, channel, key, mode, MaskLift.NONE, MaskSet.NONE);
    }

    ChannelOutput(int id, Channel channel, StreamKey key, String mode, MaskLift lift, MaskSet masks) {
        this.id = id;
        this.channel = channel;
        this.key = key;
        this.mode = mode;
        this.lift = lift;
        this.masks = masks;
    }

    MaskLift lift() {
        return lift;
    }

    MaskSet masks() {
        return masks;
    }

    /**
     * Replaces the masks in force (a new version) and tells the client ({@code masks} event, with
     * {@code burnedIn}: whether the pictures that follow have them burned in).
     */
    void masks(MaskSet now) {
        masks = now;
        ObjectNode e = event("masks");
        e.set("masks", maskNode(now));
        e.put("burnedIn", burnedIn);
        writeAndFlush(e);
    }

    /** Whether the pictures sent have the masks burned in (said in {@code opened}, {@code format} and {@code masks}). */
    void burnedIn(boolean b) {
        burnedIn = b;
    }

    boolean burnedIn() {
        return burnedIn;
    }

    /** {@code {"version": n, "polygons": [{"id", "kind", "polygon": [[x, y], ...]}]}}. */
    static ObjectNode maskNode(MaskSet s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", s.version());
        var arr = n.putArray("polygons");
        for (PrivacyMask m : s.masks()) {
            ObjectNode o = arr.addObject();
            o.put("id", m.id()).put("kind", m.kind().name().toLowerCase(java.util.Locale.ROOT));
            var pts = o.putArray("polygon");
            for (PrivacyMask.Point p : m.polygon()) pts.addArray().add(p.x()).add(p.y());
        }
        return n;
    }

    int id() {
        return id;
    }

    StreamKey key() {
        return key;
    }

    Channel channel() {
        return channel;
    }

    Fmp4Muxer muxer() {
        return muxer;
    }

    long framesSent() {
        return framesSent;
    }

    /** Writes the frame (after its format announcement and init segment when needed); returns the write. */
    ChannelFuture send(Frame f) {
        Fmp4Muxer.Output out = muxer.mux(f);
        if (out.init() != null) {
            VideoFormat fmt = f.format();
            ObjectNode e = event(opened ? "format" : "opened");
            e.put("stream", key.stream()).put("camera", key.cameraId()).put("mode", mode)
                    .put("codec", fmt.rfc6381()).put("mime", "video/mp4; codecs=\"" + fmt.rfc6381() + "\"")
                    .put("width", fmt.width()).put("height", fmt.height());
            e.set("masks", maskNode(masks));
            e.put("burnedIn", burnedIn);
            write(e);
            opened = true;
            channel.write(new BinaryWebSocketFrame(MediaMessage.encode(channel.alloc(), MediaMessage.INIT_SEGMENT,
                    id, 0, out.init())));
        }
        framesSent++;
        return channel.write(new BinaryWebSocketFrame(MediaMessage.encode(channel.alloc(), MediaMessage.FRAGMENT, id,
                f.wallMicros(), out.fragment())));
    }

    /** A server event for this channel: {@code {"event": name, "channel": id, ...}}; add fields, then write. */
    ObjectNode event(String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("event", name).put("channel", id);
        return n;
    }

    void write(ObjectNode event) {
        channel.write(new TextWebSocketFrame(event.toString()));
    }

    void writeAndFlush(ObjectNode event) {
        channel.writeAndFlush(new TextWebSocketFrame(event.toString()));
    }
}

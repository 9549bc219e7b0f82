package org.vigie.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A test client of {@code /api/v1/stream} on the JDK's WebSocket: collects each channel's init segments and
 * fragments (in order) and the server's events. {@link #stopReading()} stops requesting messages, so the socket
 * stops being read: a slow viewer. It decodes each binary message's 13-byte header (type, channel, wall time in
 * microseconds, big-endian; docs/streaming.md) on its own, as any client of the protocol does, without playback's
 * classes.
 */
public final class StreamClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int HEADER_BYTES = 13;
    public static final byte INIT_SEGMENT = 1;
    public static final byte FRAGMENT = 2;

    /** The header of one binary message. */
    public record Header(byte type, int channel, long wallMicros) {
        static Header of(byte[] message) {
            if (message.length < HEADER_BYTES) {
                throw new IllegalArgumentException("message shorter than its header: " + message.length);
            }
            ByteBuffer b = ByteBuffer.wrap(message);
            return new Header(b.get(0), b.getInt(1), b.getLong(5));
        }
    }

    /** Added to each channel event received: the count of that channel's fragments received before it. */
    public static final String FRAGMENTS_BEFORE = "_fragmentsBefore";

    public final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<Integer, ByteArrayOutputStream> media = new ConcurrentHashMap<>();
    private final Map<Integer, List<ByteArrayOutputStream>> runs = new ConcurrentHashMap<>();
    private final Map<Integer, List<Header>> headers = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    /** A text message delivered in parts (the JDK hands a frame over as its bytes arrive), until its last part. */
    private final StringBuilder partialText = new StringBuilder();
    private volatile boolean reading = true;
    private WebSocket ws;

    public static StreamClient connect(URI uri, String authorization) throws Exception {
        return connect(uri, authorization, null);
    }

    /**
     * A connection that says it draws privacy masks (subprotocol {@code vigie.masks.client}) when {@code origin} is
     * not null, sending that {@code Origin} header as a browser would.
     */
    public static StreamClient connect(URI uri, String authorization, String origin) throws Exception {
        StreamClient c = new StreamClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            b.subprotocols("vigie.stream.v1", "vigie.masks.client"); // ClientDrawing.SUBPROTOCOL
            b.header("Origin", origin);
        } else {
            b.subprotocols("vigie.stream.v1");
        }
        if (authorization != null) b.header("Authorization", authorization);
        c.ws = b.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        return c;
    }

    public void send(String json) throws Exception {
        ws.sendText(json, true).get(10, TimeUnit.SECONDS);
    }

    public void open(int channel, String camera, String mode, String extra) throws Exception {
        send("{\"op\":\"open\",\"channel\":" + channel + ",\"camera\":\"" + camera + "\",\"mode\":\"" + mode + "\""
                + (extra == null ? "" : "," + extra) + "}");
    }

    public void stopReading() {
        reading = false;
    }

    /** The close status the server sent, or -1 while the connection is open. */
    public volatile int closeStatus = -1;
    public volatile String closeReason;

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeStatus = statusCode;
        return null;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partialText.append(data);
        if (!last) {
            next(webSocket);
            return null;
        }
        String whole = partialText.toString();
        partialText.setLength(0);
        try {
            JsonNode event = JSON.readTree(whole);
            if (event instanceof com.fasterxml.jackson.databind.node.ObjectNode o && o.has("channel")) {
                o.put(FRAGMENTS_BEFORE, fragments(o.path("channel").asInt())); // what came before it, in order
            }
            events.add(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        next(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.writeBytes(b);
        if (last) {
            byte[] whole = partial.toByteArray();
            partial.reset();
            Header h = Header.of(whole);
            headers.computeIfAbsent(h.channel(), k -> new CopyOnWriteArrayList<>()).add(h);
            List<ByteArrayOutputStream> r = runs.computeIfAbsent(h.channel(), k -> new CopyOnWriteArrayList<>());
            if (h.type() == INIT_SEGMENT || r.isEmpty()) r.add(new ByteArrayOutputStream());
            ByteArrayOutputStream run = r.get(r.size() - 1);
            synchronized (run) {
                run.write(whole, HEADER_BYTES, whole.length - HEADER_BYTES);
            }
            ByteArrayOutputStream out = media.computeIfAbsent(h.channel(), k -> new ByteArrayOutputStream());
            synchronized (out) {
                out.write(whole, HEADER_BYTES, whole.length - HEADER_BYTES);
            }
        }
        next(webSocket);
        return null;
    }

    private void next(WebSocket webSocket) {
        if (reading) webSocket.request(1);
    }

    /** Everything received on a channel: init segment(s) then fragments, as one fMP4 byte stream. */
    public byte[] media(int channel) {
        ByteArrayOutputStream out = media.get(channel);
        if (out == null) return new byte[0];
        synchronized (out) {
            return out.toByteArray();
        }
    }

    /**
     * What was received on a channel cut at each init segment: one fMP4 byte stream per format (a stream that
     * changed format mid-way, e.g. from a masked re-encode to the camera's own, is decoded run by run).
     */
    public List<byte[]> runs(int channel) {
        List<byte[]> all = new ArrayList<>();
        for (ByteArrayOutputStream run : runs.getOrDefault(channel, List.of())) {
            synchronized (run) {
                all.add(run.toByteArray());
            }
        }
        return all;
    }

    public List<Header> headers(int channel) {
        return new ArrayList<>(headers.getOrDefault(channel, List.of()));
    }

    public long fragments(int channel) {
        return headers(channel).stream().filter(h -> h.type() == FRAGMENT).count();
    }

    public List<JsonNode> events(String name, int channel) {
        return events.stream().filter(e -> e.path("event").asText().equals(name)
                && e.path("channel").asInt(-1) == channel).toList();
    }

    @Override
    public void close() {
        if (ws != null) ws.abort();
    }
}

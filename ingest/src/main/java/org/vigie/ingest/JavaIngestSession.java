package org.vigie.ingest;

import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.rtsp.client.RtspClient;
import org.vigie.rtsp.client.RtspClientException;
import org.vigie.rtsp.client.RtspClientListener;
import org.vigie.rtsp.client.RtspClientOptions;
import org.vigie.rtsp.client.RtspClientSession;

/**
 * One connection of the Java engine: an {@link RtspClientSession} on Netty's event loops whose frames go to the same
 * {@link FrameSink} (the stream's hub, hence the recorder) as GStreamer's, counted in the same
 * {@link IngestCounters}, timed by the same {@link WallClock}.
 *
 * <p>Threads: frames, the first-frame event, failures and the session end run on the session's event loop (never
 * blocking: the sink and the supervisor's events only hand over). {@link #stop()} runs on the supervisor's executor
 * and waits (briefly) for the connection to be closed.
 *
 * <p>Invariants: {@link FrameSink#onSessionEnd} is called once, on the event loop, after the last frame and only if
 * a frame was delivered; no frame is delivered after {@link #stop()} returns; a failure is reported once, and not
 * after {@link #stop()}.
 */
final class JavaIngestSession implements IngestSession {

    private static final Logger LOG = LoggerFactory.getLogger(JavaIngestSession.class);
    private static final long STOP_WAIT_MILLIS = 3_000;

    private final StreamKey key;
    private final long sessionId;
    private final RtspClient client;
    private final RtspClientOptions options;
    private final FrameSink sink;
    private final IngestSession.Events events;
    private final InstantSource clock;
    private final WallClock wallClock;
    private final IngestCounters counters;
    private final Consumer<RtspClientException> failures;

    private volatile boolean stopped;
    private volatile RtspClientSession session;
    // Event loop only.
    private boolean delivered;
    private long lostCounted;

    /** @param failures told of the client's own failure (before it is classified for the supervisor) */
    JavaIngestSession(StreamKey key, long sessionId, RtspClient client, RtspClientOptions options, FrameSink sink,
                      IngestSession.Events events, InstantSource clock, WallClock wallClock,
                      IngestCounters counters, Consumer<RtspClientException> failures) {
        this.key = Objects.requireNonNull(key, "key");
        this.sessionId = sessionId;
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.failures = Objects.requireNonNull(failures, "failures");
    }

    @Override
    public long sessionId() {
        return sessionId;
    }

    @Override
    public void start() {
        if (session != null) {
            throw new IllegalStateException("a session is started once");
        }
        session = client.open(options, sessionId, wallClock::toWallMicros, new Listener());
    }

    @Override
    public void stop() {
        try {
            stopAsync().get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("{} session {}: the connection did not close within {} ms", key, sessionId, STOP_WAIT_MILLIS);
        }
    }

    /**
     * Never blocks: no frame starts being delivered once this returns (the flag is read on the event loop before
     * each frame; one being delivered then ends before the future completes, on the same loop), the connection is
     * closed on its event loop (at once when not playing; after TEARDOWN is answered or 500 ms when playing) and
     * the future completes when it is.
     */
    @Override
    public CompletableFuture<Void> stopAsync() {
        stopped = true;
        RtspClientSession s = session;
        if (s == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        s.stop().addListener(f -> done.complete(null));
        return done;
    }

    /** The client's counters, for diagnostics and the benchmark. */
    RtspClientSession.Stats stats() {
        RtspClientSession s = session;
        return s == null ? null : s.stats();
    }

    static IngestError classify(RtspClientException e, InstantSource clock) {
        IngestErrorKind kind = switch (e.kind()) {
            case CONNECTION_REFUSED -> IngestErrorKind.CONNECTION_REFUSED;
            case TIMEOUT -> IngestErrorKind.TIMEOUT;
            case NETWORK, END_OF_STREAM -> IngestErrorKind.END_OF_STREAM;
            case AUTHENTICATION_FAILED -> IngestErrorKind.AUTHENTICATION_FAILED;
            case NOT_FOUND -> IngestErrorKind.NOT_FOUND;
            case STATUS, PROTOCOL_ERROR, LIMIT_EXCEEDED, TLS -> IngestErrorKind.PROTOCOL_ERROR;
            case UNSUPPORTED -> IngestErrorKind.UNSUPPORTED_CODEC;
            case INTERNAL -> IngestErrorKind.INTERNAL;
        };
        return new IngestError(kind, "java client: " + e.getMessage(), clock.instant());
    }

    private final class Listener implements RtspClientListener {
        @Override
        public void onFrame(Frame frame) {
            if (stopped) {
                return;
            }
            RtspClientSession s = session;
            long lost = s == null ? lostCounted : s.framesLost(); // no snapshot object per frame
            for (; lostCounted < lost; lostCounted++) {
                counters.frameDropped(); // dropped by the depacketizer after a sequence gap, never written
            }
            counters.frameDelivered(frame.data().length);
            sink.onFrame(frame);
            if (!delivered) {
                delivered = true;
                events.onFirstFrame(sessionId);
            }
        }

        @Override
        public void onClosed(RtspClientException failure) {
            if (delivered) {
                try {
                    sink.onSessionEnd(sessionId);
                } catch (RuntimeException e) {
                    LOG.warn("{} session {}: sink failed at session end", key, sessionId, e);
                }
            }
            if (failure != null && !stopped) {
                failures.accept(failure);
                events.onFailure(sessionId, classify(failure, clock));
            }
        }
    }
}

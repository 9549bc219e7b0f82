package org.vigie.playback.ws;

import org.vigie.playback.MediaSources;
import org.vigie.playback.PlaybackAccess;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The multiplexed streaming endpoint {@code /api/v1/stream}, ready to mount in an HTTP pipeline: {@link #install}
 * adds {@link #UPGRADE_HANDLER} after the request aggregator. (The operators' client that uses it is module
 * {@code web}, served by the server.)
 * It owns the threads of streaming that are not event loops: a bounded pool of {@link #WORKER_THREADS} for
 * authentication, right checks and audit records, and {@link #ARCHIVE_THREADS} scheduled threads that read and
 * pace archive replays. See {@code docs/streaming.md} for the protocol.
 *
 * <p>Thread-safe. {@link #close()} stops the executors; connections close with their event loops.
 */
public final class StreamEndpoint implements AutoCloseable {

    /** The WebSocket path. */
    public static final String PATH = "/api/v1/stream";
    /**
     * In a cluster (issue 13): the path a node-to-node call to {@link #PATH} is signed for when the asking node
     * vouches that its own client draws the masks (it checked the flag came from our page): only then does the
     * holding node honour the {@code vigie.masks.client} subprotocol of a relayed connection.
     */
    public static final String CLIENT_DRAWS_PATH = PATH + "#" + ClientDrawing.SUBPROTOCOL;
    /** Pipeline name of the upgrade handler, after the HTTP aggregator. */
    public static final String UPGRADE_HANDLER = "stream-upgrade";
    static final int WORKER_THREADS = 2;
    static final int WORKER_QUEUE = 256;
    static final int ARCHIVE_THREADS = 2;
    /** How often open connections are re-authenticated and their channels' rights re-checked. */
    public static final java.time.Duration RECHECK_INTERVAL = java.time.Duration.ofSeconds(10);

    /** One channel of one connection, for metrics and tests. */
    public record ChannelStats(String user, String mode, int channel, long framesSent, long framesDropped) {
    }

    private final MediaSources sources;
    private final PlaybackAccess access;
    private volatile WriteObserver writeObserver;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor archiveExecutor;
    private final Set<StreamSession> sessions = ConcurrentHashMap.newKeySet();
    private final StreamUpgradeHandler upgrade;
    private final java.time.Duration recheckInterval;
    private final org.vigie.playback.privacy.MaskedHubs maskedHubs;

    /** @param writeObserver told of every live write (the benchmark's instrument), or null */
    public StreamEndpoint(MediaSources sources, PlaybackAccess access, WriteObserver writeObserver) {
        this(sources, access, writeObserver, RECHECK_INTERVAL);
    }

    /**
     * @param writeObserver   told of every live write (the benchmark's instrument), or null
     * @param recheckInterval how often open connections are re-authenticated and their channels' rights re-checked
     */
    public StreamEndpoint(MediaSources sources, PlaybackAccess access, WriteObserver writeObserver,
                          java.time.Duration recheckInterval) {
        this(sources, access, writeObserver, recheckInterval, null);
    }

    /**
     * @param maskedHubs the masked live streams sent to clients that do not draw privacy masks (issue 14), or null:
     *                   such clients are refused a masked camera
     */
    public StreamEndpoint(MediaSources sources, PlaybackAccess access, WriteObserver writeObserver,
                          java.time.Duration recheckInterval, org.vigie.playback.privacy.MaskedHubs maskedHubs) {
        this.maskedHubs = maskedHubs;
        if (recheckInterval.isNegative() || recheckInterval.isZero()) {
            throw new IllegalArgumentException("recheck interval must be positive: " + recheckInterval);
        }
        this.recheckInterval = recheckInterval;
        this.sources = sources;
        this.access = access;
        this.writeObserver = writeObserver;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), r -> daemon(r, "stream-auth-" + n.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
        AtomicInteger m = new AtomicInteger();
        this.archiveExecutor = new ScheduledThreadPoolExecutor(ARCHIVE_THREADS,
                r -> daemon(r, "stream-archive-" + m.incrementAndGet()));
        this.archiveExecutor.setRemoveOnCancelPolicy(true);
        this.upgrade = new StreamUpgradeHandler(this);
        long every = recheckInterval.toMillis();
        this.archiveExecutor.scheduleWithFixedDelay(this::recheckAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** How often open connections are re-checked (see {@link StreamSession#recheck()}). */
    public java.time.Duration recheckInterval() {
        return recheckInterval;
    }

    private void recheckAll() {
        for (StreamSession s : sessions) {
            try {
                s.recheck();
            } catch (RuntimeException e) {
                // an event loop shutting down: that connection is closing anyway
            }
        }
    }

    public StreamEndpoint(MediaSources sources, PlaybackAccess access) {
        this(sources, access, null);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Adds the upgrade handler to an HTTP pipeline, right after the handler named {@code after}. */
    public void install(ChannelPipeline pipeline, String after) {
        pipeline.addAfter(after, UPGRADE_HANDLER, upgrade);
    }

    /** The sharable handlers, in pipeline order, for a pipeline built elsewhere. */
    public List<ChannelHandler> handlers() {
        return List.of(upgrade);
    }

    /** The masked live streams for clients that do not draw masks, or null. */
    org.vigie.playback.privacy.MaskedHubs maskedHubs() {
        return maskedHubs;
    }

    MediaSources sources() {
        return sources;
    }

    PlaybackAccess access() {
        return access;
    }

    WriteObserver writeObserver() {
        return writeObserver;
    }

    /**
     * Attaches an instrument told of every live write from the next opened channel on (the fan-out benchmark's
     * latency probe; null detaches). Not for production use: it adds a listener per write.
     */
    public void observe(WriteObserver observer) {
        this.writeObserver = observer;
    }

    ExecutorService workers() {
        return workers;
    }

    ScheduledExecutorService archiveExecutor() {
        return archiveExecutor;
    }

    void register(StreamSession s) {
        sessions.add(s);
    }

    void unregister(StreamSession s) {
        sessions.remove(s);
    }

    /** Open connections. */
    public int connections() {
        return sessions.size();
    }

    /** Every open channel of every connection (each snapshot taken on its connection's event loop). */
    public List<ChannelStats> stats() {
        List<CompletableFuture<List<ChannelStats>>> parts = new ArrayList<>();
        for (StreamSession s : sessions) {
            CompletableFuture<List<ChannelStats>> f = new CompletableFuture<>();
            s.context().executor().execute(() -> f.complete(s.stats()));
            parts.add(f);
        }
        List<ChannelStats> all = new ArrayList<>();
        for (CompletableFuture<List<ChannelStats>> f : parts) {
            try {
                all.addAll(f.get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                // a connection closing meanwhile: its channels are gone
            }
        }
        return all;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        archiveExecutor.shutdownNow();
    }
}

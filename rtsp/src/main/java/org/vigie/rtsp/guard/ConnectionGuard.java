package org.vigie.rtsp.guard;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection limits of one listening server (the HTTP API and the RTSP re-stream): at most {@code maxConnections}
 * open at once (one more is closed as soon as it is accepted), and each closed once idle for {@code idleTimeout}.
 * What "idle" means is the server's: nothing read nor written (HTTP: a live WebSocket viewer is written to all the
 * time), or nothing read (RTSP: the announced session timeout; a client keeps its session with RTCP reports or
 * keep-alive requests, as RFC 2326 asks).
 *
 * <p>{@link #install} puts the handlers first in a pipeline. One instance per listening server, shared by its
 * channels: thread-safe (an atomic count).
 */
@ChannelHandler.Sharable
public final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    /** What counts as activity. */
    public enum Idle {
        /** Nothing read nor written. */
        READ_AND_WRITE,
        /** Nothing read. */
        READ
    }

    private final String server;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final Idle idle;
    private final java.util.function.Function<io.netty.channel.Channel, Object> keepAlive;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong idleClosed = new AtomicLong();

    /** @param server the server's name, for {@link #toString()} */
    public ConnectionGuard(String server, int maxConnections, Duration idleTimeout, Idle idle) {
        this(server, maxConnections, idleTimeout, idle, ch -> null);
    }

    /**
     * @param keepAlive for an idle connection, a message to write that asks the peer for an answer (a WebSocket
     *                  ping: a paused viewer is idle, its browser answers the ping), or null to close it; a
     *                  connection still idle one timeout after its keep-alive is closed
     */
    public ConnectionGuard(String server, int maxConnections, Duration idleTimeout, Idle idle,
                           java.util.function.Function<io.netty.channel.Channel, Object> keepAlive) {
        this.keepAlive = keepAlive;
        if (maxConnections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("maxConnections >= 1 and a positive idle timeout");
        }
        this.server = server;
        this.maxConnections = maxConnections;
        this.idleTimeout = idleTimeout;
        this.idle = idle;
    }

    /** Puts the idle timer and this guard first in {@code p} (call from the channel initializer). */
    public void install(ChannelPipeline p) {
        long ms = idleTimeout.toMillis();
        p.addFirst("guard", this);
        p.addAfter("guard", "idle", idle == Idle.READ ? new IdleStateHandler(ms, 0, 0, TimeUnit.MILLISECONDS)
                : new IdleStateHandler(0, 0, ms, TimeUnit.MILLISECONDS));
        p.addAfter("idle", "idle-close", new ChannelInboundHandlerAdapter() {
            private boolean askedOnce;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                askedOnce = false;
                super.channelRead(ctx, msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                if (evt instanceof IdleStateEvent e && (e.state() == IdleState.READER_IDLE
                        || e.state() == IdleState.ALL_IDLE)) {
                    Object ask = askedOnce ? null : keepAlive.apply(ctx.channel());
                    if (ask != null) {
                        askedOnce = true;
                        ctx.writeAndFlush(ask);
                        return;
                    }
                    idleClosed.incrementAndGet();
                    ctx.close();
                    return;
                }
                super.userEventTriggered(ctx, evt);
            }
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > maxConnections) {
            refused.incrementAndGet(); // counted (refused()): a flood must not flood the log too
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }

    /** Connections open now (refused ones included until they are closed). */
    public int open() {
        return open.get();
    }

    public long refused() {
        return refused.get();
    }

    public long idleClosed() {
        return idleClosed.get();
    }

    @Override
    public String toString() {
        return "ConnectionGuard[" + server + ", " + open.get() + "/" + maxConnections + " open, idle " + idleTimeout
                + "]";
    }
}

package org.vigie.playback.export;

import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Flow control of one streamed response, written from a blocking export thread: at most {@link #LIMIT} bytes are
 * queued in the channel at a time (Netty does not count {@code FileRegion}s in its own writability, so this
 * counts them); the writer waits for the client to take them, and gives up after {@link #STALL_MILLIS} without
 * progress or when the connection closes. Thread-safe.
 */
final class WriteFlow {

    static final long LIMIT = 8L << 20;
    static final long STALL_MILLIS = 60_000;

    private final Channel channel;
    private long outstanding;
    private boolean failed;

    WriteFlow(Channel channel) {
        this.channel = channel;
    }

    /** Writes and flushes {@code msg}, which counts {@code size} bytes, once there is room. */
    void write(Object msg, long size) throws IOException {
        synchronized (this) {
            long deadline = System.currentTimeMillis() + STALL_MILLIS;
            while (outstanding > 0 && outstanding + size > LIMIT && !failed && channel.isActive()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    io.netty.util.ReferenceCountUtil.release(msg);
                    channel.close();
                    throw new IOException("client took nothing for " + STALL_MILLIS + " ms");
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    io.netty.util.ReferenceCountUtil.release(msg);
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            if (failed || !channel.isActive()) {
                io.netty.util.ReferenceCountUtil.release(msg);
                throw new IOException("client gone");
            }
            outstanding += size;
        }
        channel.writeAndFlush(msg).addListener(f -> {
            synchronized (this) {
                outstanding -= size;
                if (!f.isSuccess()) failed = true;
                notifyAll();
            }
        });
    }
}

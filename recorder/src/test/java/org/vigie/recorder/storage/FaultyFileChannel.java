package org.vigie.recorder.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real file channel that fails like a full disk: the write number {@code failAt} (counted over every channel
 * sharing the counter) writes half of its bytes, then throws; later writes keep failing until {@link #heal}.
 */
final class FaultyFileChannel extends FileChannel {

    /** Opens real channels, wrapping those whose file name ends with {@code suffix}. */
    static final class Opener implements ChannelOpener {
        final AtomicInteger writes = new AtomicInteger();
        final String suffix;
        final int failAt;
        volatile boolean healed;

        Opener(String suffix, int failAt) {
            this.suffix = suffix;
            this.failAt = failAt;
        }

        @Override
        public FileChannel open(Path path, OpenOption... options) throws IOException {
            FileChannel real = FileChannel.open(path, options);
            return path.toString().endsWith(suffix) ? new FaultyFileChannel(real, this) : real;
        }

        void heal() {
            healed = true;
        }
    }

    private final FileChannel real;
    private final Opener opener;

    private FaultyFileChannel(FileChannel real, Opener opener) {
        this.real = real;
        this.opener = opener;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (!opener.healed && opener.writes.incrementAndGet() >= opener.failAt) {
            ByteBuffer half = src.duplicate();
            half.limit(src.position() + src.remaining() / 2);
            real.write(half, position);
            throw new IOException("No space left on device (injected)");
        }
        return real.write(src, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return real.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!opener.healed && opener.writes.incrementAndGet() >= opener.failAt) {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += srcs[i].remaining();
            }
            long left = total / 2; // half of the gathered bytes reach the disk, as with a positional write
            for (int i = offset; i < offset + length && left > 0; i++) {
                ByteBuffer part = srcs[i].duplicate();
                part.limit(part.position() + (int) Math.min(part.remaining(), left));
                left -= real.write(part);
            }
            throw new IOException("No space left on device (injected)");
        }
        return real.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        real.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return real.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}

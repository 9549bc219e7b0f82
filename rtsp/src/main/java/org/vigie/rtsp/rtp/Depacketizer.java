package org.vigie.rtsp.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.vigie.media.VideoFormat;
import org.vigie.rtsp.RtspParseException;

/**
 * Turns the RTP packets of one H.264 or H.265 stream into {@link AccessUnit}s: the codec subclass unpacks each
 * payload into NAL units; this class delimits access units (marker bit, or a new timestamp when a camera forgets
 * the marker), extends timestamps to 64 bits, follows the parameter sets (from the SDP, then in band: a change
 * makes a new {@link VideoFormat}) and enforces the loss rules.
 *
 * <p>Loss rules: a sequence gap makes corrupt the access units on both sides of it (the one in progress may have
 * lost its end, the next one its beginning); a malformed payload or an unfinished fragmented NAL unit makes its
 * access unit corrupt. A corrupt access unit is dropped, and so is every access unit after it until the next key
 * frame (they depend on what was lost). {@link #framesLost()} counts them, plus the access units that vanished
 * whole in a gap, estimated from the timestamp step (the last frame interval). Access units before the first key
 * frame of the stream (or before its parameter sets are known) are dropped and counted in
 * {@link #framesSkipped()}. A corrupt frame is never emitted.
 *
 * <p>Bounds: an access unit over the configured size, or with too many NAL units, is a {@link RtspParseException}
 * (the caller ends the session); at most {@value #MAX_PARAMETER_SETS} parameter sets of each kind are kept.
 * Not thread-safe: one per stream, on its event loop.
 */
public abstract class Depacketizer {

    static final int MAX_PARAMETER_SETS = 16;

    private final AccessUnitAssembler au;
    private final TimestampExtender timestamps = new TimestampExtender();
    private final Consumer<AccessUnit> sink;

    private int expectedSequence = -1;
    private boolean pending;
    private long pendingTimestamp;
    private boolean haveLast;
    private long lastTimestamp;
    private long lastInterval;
    private boolean corrupt;
    private boolean waitingForKey = true;
    private boolean started;
    private VideoFormat format;
    private long framesLost;
    private long framesSkipped;
    private long packets;

    protected Depacketizer(int maxAccessUnitSize, Consumer<AccessUnit> sink) {
        this.au = new AccessUnitAssembler(maxAccessUnitSize);
        this.sink = sink;
    }

    /** Access units dropped because of a gap or corruption, and those that depended on them. */
    public long framesLost() {
        return framesLost;
    }

    /** Access units dropped before the first key frame with known parameter sets. */
    public long framesSkipped() {
        return framesSkipped;
    }

    /** Packets pushed. */
    public long packets() {
        return packets;
    }

    /** The format of the last access unit emitted, or null. */
    public VideoFormat format() {
        return format;
    }

    /** This stream's timestamp extender (RTCP sender reports are mapped with it). */
    public TimestampExtender timestamps() {
        return timestamps;
    }

    /**
     * Takes one packet of this stream (the caller filters payload type and SSRC). May emit the previous access unit
     * (a new timestamp without a marker before it) and this one (marker bit).
     *
     * @throws RtspParseException when an access unit exceeds its bounds; nothing is retained then
     */
    public void push(RtpPacket p) {
        packets++;
        int seq = p.sequence();
        boolean gapHere = expectedSequence >= 0 && seq != expectedSequence;
        expectedSequence = (seq + 1) & 0xFFFF;
        long ts = timestamps.extend(p.timestamp());
        if (gapHere) {
            corrupt |= pending;
            waitingForKey = true;
        }
        if (pending && ts != pendingTimestamp) {
            finish();
        }
        if (!pending) {
            pending = true;
            pendingTimestamp = ts;
            if (gapHere) {
                countVanished(ts);
            }
        }
        if (gapHere) {
            corrupt = true; // this packet's access unit may have lost its beginning
        }
        if (!corrupt) {
            try {
                unpack(p.buffer(), p.payloadOffset(), p.payloadLength());
            } catch (MalformedPayloadException e) {
                corrupt = true;
            }
        }
        if (p.marker()) {
            finish();
        }
    }

    /** Drops what is in progress (end of session) and releases the retained buffers. */
    public void close() {
        au.clear();
        pending = false;
        corrupt = false;
    }

    /** Access units lost whole before {@code ts}: the timestamp step over the last frame interval, minus one. */
    private void countVanished(long ts) {
        if (!started || !haveLast || lastInterval <= 0 || ts <= lastTimestamp) {
            return;
        }
        long missing = (ts - lastTimestamp + lastInterval / 2) / lastInterval - 1;
        framesLost += Math.max(0, Math.min(missing, 10_000));
    }

    private void noteTimestamp(long ts) {
        if (haveLast && ts > lastTimestamp) {
            lastInterval = ts - lastTimestamp;
        }
        if (!haveLast || ts > lastTimestamp) {
            lastTimestamp = ts;
        }
        haveLast = true;
    }

    private void finish() {
        pending = false;
        noteTimestamp(pendingTimestamp);
        boolean broken = corrupt || au.inFragmentedNal();
        corrupt = false;
        if (broken) {
            au.clear();
            dropped();
            waitingForKey = true;
            return;
        }
        if (au.isEmpty()) {
            return; // only packets without NAL units (reserved types)
        }
        boolean key = isKeyFrame();
        if (waitingForKey && !key) {
            au.clear();
            dropped();
            return;
        }
        boolean hasSets = hasParameterSets();
        byte[] data = au.assemble();
        if (!updateFormat(data, hasSets)) {
            dropped();
            waitingForKey = true;
            return;
        }
        waitingForKey = false;
        started = true;
        sink.accept(new AccessUnit(format, pendingTimestamp, key, data));
    }

    private void dropped() {
        if (started) {
            framesLost++;
        } else {
            framesSkipped++;
        }
    }

    private boolean isKeyFrame() {
        for (int i = 0; i < au.nalCount(); i++) {
            if (isKeyNal(au.firstByte(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean hasParameterSets() {
        for (int i = 0; i < au.nalCount(); i++) {
            if (parameterSetKind(au.firstByte(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the in-band parameter sets of an access unit (copied out: they are small and come once per group of
     * pictures) and makes a new format when they differ from the known ones. False when no format can be built:
     * the sets are missing or do not parse (the known sets are then kept).
     */
    private boolean updateFormat(byte[] sample, boolean hasSets) {
        if (hasSets) {
            List<List<byte[]>> found = new ArrayList<>();
            for (int k = 0; k < parameterSetKinds(); k++) {
                found.add(new ArrayList<>());
            }
            int pos = 0;
            while (pos + 4 <= sample.length) {
                int len = ((sample[pos] & 0xFF) << 24) | ((sample[pos + 1] & 0xFF) << 16)
                        | ((sample[pos + 2] & 0xFF) << 8) | (sample[pos + 3] & 0xFF);
                pos += 4;
                int kind = parameterSetKind(sample[pos] & 0xFF);
                if (kind >= 0 && found.get(kind).size() < MAX_PARAMETER_SETS) {
                    found.get(kind).add(Arrays.copyOfRange(sample, pos, pos + len));
                }
                pos += len;
            }
            List<List<byte[]>> previous = new ArrayList<>();
            boolean changed = false;
            for (int k = 0; k < found.size(); k++) {
                previous.add(parameterSets(k));
                if (!found.get(k).isEmpty() && !same(found.get(k), parameterSets(k))) {
                    setParameterSets(k, found.get(k));
                    changed = true;
                }
            }
            if (changed || format == null) {
                VideoFormat f = tryBuildFormat();
                if (f == null) {
                    for (int k = 0; k < previous.size(); k++) {
                        setParameterSets(k, previous.get(k));
                    }
                    return false;
                }
                format = f.equals(format) ? format : f;
            }
        }
        if (format == null) {
            format = tryBuildFormat();
        }
        return format != null;
    }

    private VideoFormat tryBuildFormat() {
        try {
            return buildFormat();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- for the codec subclasses

    /** The collector of the access unit in progress. */
    protected final AccessUnitAssembler assembler() {
        return au;
    }

    /**
     * Unpacks one payload into NAL units, through {@link #assembler()}.
     *
     * @throws MalformedPayloadException when the payload breaks its format (the access unit becomes corrupt)
     */
    protected abstract void unpack(ByteBuf buf, int offset, int length);

    /** True when a NAL unit with this first byte makes a key frame (H.264 IDR, H.265 IRAP). */
    protected abstract boolean isKeyNal(int firstByte);

    /** How many kinds of parameter sets the codec has (2 for H.264: SPS, PPS; 3 for H.265: VPS, SPS, PPS). */
    protected abstract int parameterSetKinds();

    /** The kind (0 .. kinds-1) of a parameter-set NAL unit, or -1 for any other NAL unit. */
    protected abstract int parameterSetKind(int firstByte);

    /** The known sets of a kind. */
    protected abstract List<byte[]> parameterSets(int kind);

    protected abstract void setParameterSets(int kind, List<byte[]> sets);

    /**
     * The format of the known parameter sets.
     *
     * @throws RtspParseException when some are missing or do not parse
     */
    protected abstract VideoFormat buildFormat();

    /** A payload that breaks its RTP payload format: the access unit in progress is corrupt. */
    protected static final class MalformedPayloadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MalformedPayloadException(String message) {
            super(message, null, false, false);
        }
    }
}

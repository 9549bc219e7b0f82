package org.vigie.recorder.mp4;

import org.vigie.media.NtpTime;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and validates one fragment ({@code prft}, {@code moof}, {@code mdat}) of a single-track file: the
 * {@code moof} must parse, its {@code trun} must point at the start of the {@code mdat} payload and its sample
 * sizes must sum to exactly that payload, and the {@code mdat} must be complete. Only the small boxes are read
 * into memory (bounded by {@link #MAX_MOOF_SIZE}); sample data is never read here. Stateless.
 */
public final class FragmentParser {

    /** Largest {@code moof} we accept (about 300,000 samples): protects against absurd sizes. */
    public static final int MAX_MOOF_SIZE = 4 << 20;
    private static final int MAX_PRFT_SIZE = 64;

    private FragmentParser() {
    }

    /**
     * @param position offset of the fragment's {@code prft}
     * @param limit    the bytes that may be read (the file length, or the last published byte)
     * @throws MalformedMp4Exception when the fragment is incomplete or inconsistent
     */
    public static FragmentInfo read(FileChannel ch, long position, long limit) throws IOException {
        BoxHeader prftBox = expect(BoxHeader.read(ch, position, limit), "prft");
        ByteReader prft = content(prftBox.readBytes(ch, MAX_PRFT_SIZE));
        int version = prft.u8();
        prft.skip(3);
        prft.skip(4); // reference track
        long wallMicros = NtpTime.toMicros(prft.u64());
        long prftMediaTime = version == 1 ? prft.u64() : prft.u32();

        BoxHeader moofBox = expect(BoxHeader.read(ch, prftBox.end(), limit), "moof");
        byte[] moofBytes = moofBox.readBytes(ch, MAX_MOOF_SIZE);
        BoxHeader mdatBox = expect(BoxHeader.read(ch, moofBox.end(), limit), "mdat");

        ByteReader moof = content(moofBytes);
        ByteReader mfhd = moof.find("mfhd");
        mfhd.skip(4);
        int sequence = (int) mfhd.u32();
        ByteReader traf = moof.find("traf");
        Traf t = parseTraf(traf);
        if (t.baseMediaTime != prftMediaTime) {
            throw new MalformedMp4Exception("prft media time " + prftMediaTime + " != tfdt " + t.baseMediaTime
                    + " at " + position);
        }
        long expectedDataOffset = moofBox.size() + mdatBox.headerSize();
        if (t.dataOffset != expectedDataOffset) {
            throw new MalformedMp4Exception("trun data offset " + t.dataOffset + " does not point at the mdat payload ("
                    + expectedDataOffset + ") at " + position);
        }
        List<SampleInfo> samples = new ArrayList<>(t.sizes.length);
        long offset = mdatBox.contentOffset();
        for (int i = 0; i < t.sizes.length; i++) {
            samples.add(new SampleInfo(offset, t.sizes[i], t.durations[i], t.flags[i]));
            offset += t.sizes[i];
        }
        if (offset != mdatBox.end()) {
            throw new MalformedMp4Exception("trun sample sizes sum to " + (offset - mdatBox.contentOffset())
                    + " bytes but the mdat payload holds " + mdatBox.contentSize() + " at " + position);
        }
        return new FragmentInfo(position, mdatBox.end(), sequence, wallMicros, t.baseMediaTime, samples);
    }

    private static Traf parseTraf(ByteReader traf) throws MalformedMp4Exception {
        Traf t = new Traf();
        long defaultDuration = 0;
        long defaultSize = 0;
        int defaultFlags = 0;
        boolean haveTfdt = false;
        boolean haveTrun = false;
        while (traf.remaining() > 0) {
            ByteReader.Child c = traf.child();
            ByteReader r = c.content();
            switch (c.type()) {
                case "tfhd" -> {
                    int tf = (int) r.u32() & 0xffffff;
                    r.skip(4); // track id
                    if ((tf & 0x01) != 0) {
                        throw new MalformedMp4Exception("tfhd base-data-offset is not supported");
                    }
                    if ((tf & 0x02) != 0) {
                        r.skip(4);
                    }
                    if ((tf & 0x08) != 0) {
                        defaultDuration = r.u32();
                    }
                    if ((tf & 0x10) != 0) {
                        defaultSize = r.u32();
                    }
                    if ((tf & 0x20) != 0) {
                        defaultFlags = (int) r.u32();
                    }
                }
                case "tfdt" -> {
                    int v = r.u8();
                    r.skip(3);
                    t.baseMediaTime = v == 1 ? r.u64() : r.u32();
                    haveTfdt = true;
                }
                case "trun" -> {
                    if (haveTrun) {
                        throw new MalformedMp4Exception("more than one trun is not supported");
                    }
                    haveTrun = true;
                    parseTrun(r, t, defaultDuration, defaultSize, defaultFlags);
                }
                default -> {
                    // other boxes (sdtp, sbgp, ...) are not needed
                }
            }
        }
        if (!haveTfdt || !haveTrun) {
            throw new MalformedMp4Exception("traf lacks " + (haveTfdt ? "trun" : "tfdt"));
        }
        return t;
    }

    private static void parseTrun(ByteReader r, Traf t, long defaultDuration, long defaultSize, int defaultFlags)
            throws MalformedMp4Exception {
        int flags = (int) r.u32() & 0xffffff;
        long count = r.u32();
        if ((flags & 0x01) == 0) {
            throw new MalformedMp4Exception("trun without data offset");
        }
        t.dataOffset = (int) r.u32();
        int firstFlags = (flags & 0x04) != 0 ? (int) r.u32() : defaultFlags;
        int perSample = 4 * Integer.bitCount(flags & 0xf00);
        if (count < 1 || count * perSample > r.remaining()) {
            throw new MalformedMp4Exception("trun declares " + count + " samples but holds " + r.remaining()
                    + " bytes");
        }
        int n = (int) count;
        t.sizes = new int[n];
        t.durations = new long[n];
        t.flags = new int[n];
        for (int i = 0; i < n; i++) {
            t.durations[i] = (flags & 0x100) != 0 ? r.u32() : defaultDuration;
            long size = (flags & 0x200) != 0 ? r.u32() : defaultSize;
            if (size > FragmentWriter.MAX_MDAT_PAYLOAD) {
                throw new MalformedMp4Exception("sample of " + size + " bytes");
            }
            t.sizes[i] = (int) size;
            t.flags[i] = (flags & 0x400) != 0 ? (int) r.u32() : (i == 0 ? firstFlags : defaultFlags);
            if ((flags & 0x800) != 0) {
                r.skip(4); // composition time offset
            }
        }
    }

    private static BoxHeader expect(BoxHeader h, String type) throws MalformedMp4Exception {
        if (!h.type().equals(type)) {
            throw new MalformedMp4Exception("expected '" + type + "' at " + h.offset() + ", found '" + h.type() + "'");
        }
        return h;
    }

    private static ByteReader content(byte[] box) {
        return new ByteReader(box, 8, box.length);
    }

    /** Mutable scratch of one traf parse. */
    private static final class Traf {
        long baseMediaTime;
        long dataOffset;
        int[] sizes;
        long[] durations;
        int[] flags;
    }
}

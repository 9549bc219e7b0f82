package org.vigie.recorder.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.Codec;
import org.vigie.media.VideoFormat;
import org.vigie.recorder.testing.SyntheticStream;

class FragmentRoundTripTest {

    @TempDir
    Path dir;

    private static final VideoFormat FORMAT = SyntheticStream.h264(1280, 720);

    private static List<Sample> samples(int n, int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[10 + rnd.nextInt(500)];
            rnd.nextBytes(data);
            out.add(new Sample(data, 3000 + rnd.nextInt(1000), i == 0));
        }
        return out;
    }

    private Path file(byte[]... parts) throws IOException {
        Path p = dir.resolve("f.mp4");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] b : parts) {
                ch.write(ByteBuffer.wrap(b));
            }
        }
        return p;
    }

    private static SegmentScan scan(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            return SegmentScanner.scan(ch);
        }
    }

    @Test
    void initSegmentGivesBackTheFormat() throws IOException {
        SegmentScan s = scan(file(InitSegmentWriter.write(FORMAT)));
        assertThat(s.format()).isEqualTo(FORMAT);
        assertThat(s.fragments()).isEmpty();
        assertThat(s.clean()).isTrue();
    }

    @Test
    void h265InitSegmentUsesHvc1AndGivesBackTheFormat() throws IOException {
        VideoFormat hevc = new VideoFormat(Codec.H265, 1920, 1080, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        byte[] init = InitSegmentWriter.write(hevc);
        assertThat(new String(init, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("iso6");
        assertThat(new String(init, 24, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hvc1");
        assertThat(scan(file(init)).format()).isEqualTo(hevc);
    }

    @Test
    void fragmentsParseBackIntoTheirSamplesTimesAndFlags() throws IOException {
        List<Sample> a = samples(50, 1);
        List<Sample> b = samples(7, 2);
        byte[] init = InitSegmentWriter.write(FORMAT);
        byte[] fa = FragmentWriter.write(1, 1_767_225_600_123_456L, 0, a);
        byte[] fb = FragmentWriter.write(2, 1_767_225_602_000_001L, 180_000, b);
        Path p = file(init, fa, fb);

        SegmentScan s = scan(p);
        assertThat(s.clean()).isTrue();
        assertThat(s.fragments()).hasSize(2);
        FragmentInfo first = s.fragments().get(0);
        assertThat(first.position()).isEqualTo(init.length);
        assertThat(first.end()).isEqualTo(init.length + fa.length);
        assertThat(first.wallMicros()).isEqualTo(1_767_225_600_123_456L);
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(s.fragments().get(1).baseMediaTime90k()).isEqualTo(180_000);
        assertThat(s.validEnd()).isEqualTo(Files.size(p));

        byte[] all = Files.readAllBytes(p);
        for (int i = 0; i < a.size(); i++) {
            SampleInfo si = first.samples().get(i);
            assertThat(si.duration()).isEqualTo(a.get(i).duration());
            assertThat(si.sync()).isEqualTo(i == 0);
            byte[] data = java.util.Arrays.copyOfRange(all, (int) si.offset(), (int) si.offset() + si.size());
            assertThat(data).isEqualTo(a.get(i).data());
        }
    }

    /** The head the recorder writes into the bytes it reserved for a capacity of samples, before the samples. */
    private static byte[] paddedHead(int sequence, long wall, long base, List<Sample> samples, int capacity) {
        int n = samples.size();
        int[] sizes = new int[n];
        int[] durations = new int[n];
        boolean[] sync = new boolean[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = samples.get(i).data().length;
            durations[i] = samples.get(i).duration();
            sync[i] = samples.get(i).sync();
        }
        return FragmentWriter.head(sequence, wall, base, n, sizes, durations, sync,
                FragmentWriter.reservedHeadLength(capacity));
    }

    private static byte[] concat(byte[] head, List<Sample> samples) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(head);
        samples.forEach(s -> out.writeBytes(s.data()));
        return out.toByteArray();
    }

    @Test
    void aHeadPaddedToItsReservedCapacityEndsTheMoofWithAFreeBoxAndParsesBackLikeAnUnpaddedOne() throws IOException {
        List<Sample> a = samples(50, 1);
        List<Sample> b = samples(32, 2); // exactly its capacity: the padding is the free box's 8-byte header
        byte[] init = InitSegmentWriter.write(FORMAT);
        byte[] ha = paddedHead(1, 1_767_225_600_123_456L, 0, a, 100);
        byte[] hb = paddedHead(2, 1_767_225_602_000_001L, 180_000, b, 32);
        assertThat(ha).hasSize(FragmentWriter.reservedHeadLength(100));
        assertThat(ha.length - FragmentWriter.head(1, 1_767_225_600_123_456L, 0, a).length).isEqualTo(12 * 50 + 8);
        assertThat(hb.length - FragmentWriter.head(2, 1_767_225_602_000_001L, 180_000, b).length).isEqualTo(8);
        // the free box is the moof's last child, right before the mdat header
        int freeAt = ha.length - 8 - (12 * 50 + 8);
        assertThat(new String(ha, freeAt + 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("free");
        assertThat(ByteBuffer.wrap(ha).getInt(freeAt)).isEqualTo(12 * 50 + 8);
        byte[] fa = concat(ha, a);
        Path p = file(init, fa, concat(hb, b));

        SegmentScan s = scan(p);
        assertThat(s.clean()).isTrue();
        assertThat(s.fragments()).hasSize(2);
        FragmentInfo first = s.fragments().get(0);
        assertThat(first.end()).isEqualTo(init.length + fa.length);
        assertThat(first.wallMicros()).isEqualTo(1_767_225_600_123_456L);
        assertThat(s.fragments().get(1).samples()).hasSize(32);
        assertThat(s.fragments().get(1).sequence()).isEqualTo(2);
        byte[] all = Files.readAllBytes(p);
        assertThat(first.samples().get(0).offset()).isEqualTo(init.length + ha.length);
        for (int i = 0; i < a.size(); i++) {
            SampleInfo si = first.samples().get(i);
            assertThat(si.duration()).isEqualTo(a.get(i).duration());
            assertThat(si.sync()).isEqualTo(i == 0);
            assertThat(java.util.Arrays.copyOfRange(all, (int) si.offset(), (int) si.offset() + si.size()))
                    .isEqualTo(a.get(i).data());
        }
    }

    @Test
    void aHeadCannotBePaddedByLessThanAFreeBoxHeader() {
        List<Sample> a = samples(3, 1);
        int[] sizes = a.stream().mapToInt(x -> x.data().length).toArray();
        int exact = FragmentWriter.headLength(3);
        assertThatThrownBy(() -> FragmentWriter.head(1, 0, 0, 3, sizes, new int[3], new boolean[3], exact + 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 8 more");
        assertThat(FragmentWriter.head(1, 0, 0, 3, sizes, new int[3], new boolean[3], exact)).hasSize(exact);
    }

    @Test
    void truncatedFragmentIsReportedAndTheValidPrefixKept() throws IOException {
        byte[] init = InitSegmentWriter.write(FORMAT);
        byte[] fa = FragmentWriter.write(1, 1_000_000, 0, samples(5, 3));
        byte[] fb = FragmentWriter.write(2, 2_000_000, 90_000, samples(5, 4));
        for (int cut = 1; cut < fb.length; cut += 7) {
            SegmentScan s = scan(file(init, fa, java.util.Arrays.copyOf(fb, cut)));
            assertThat(s.fragments()).hasSize(1);
            assertThat(s.validEnd()).isEqualTo(init.length + fa.length);
            assertThat(s.problem()).isNotNull();
        }
    }

    @Test
    void mdatShorterThanTheTrunSizesIsRejected() throws IOException {
        byte[] init = InitSegmentWriter.write(FORMAT);
        byte[] fa = FragmentWriter.write(1, 1_000_000, 0, samples(5, 3));
        // shrink the mdat box by 1 byte: sizes no longer sum to its payload
        int mdatAt = fa.length - (int) (ByteBuffer.wrap(fa).getInt(findMdat(fa)) & 0xffffffffL);
        ByteBuffer.wrap(fa).putInt(mdatAt, ByteBuffer.wrap(fa).getInt(mdatAt) - 1);
        SegmentScan s = scan(file(init, java.util.Arrays.copyOf(fa, fa.length - 1)));
        assertThat(s.fragments()).isEmpty();
        assertThat(s.problem()).contains("sum to");
    }

    private static int findMdat(byte[] f) {
        for (int i = f.length - 8; i >= 4; i--) {
            if (f[i] == 'm' && f[i + 1] == 'd' && f[i + 2] == 'a' && f[i + 3] == 't') {
                return i - 4;
            }
        }
        throw new AssertionError("no mdat");
    }

    @Test
    void randomGarbageNeverHangsNorExhaustsMemory() throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] init = InitSegmentWriter.write(FORMAT);
        byte[] frag = FragmentWriter.write(1, 1_000_000, 0, samples(20, 5));
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[init.length + frag.length];
            System.arraycopy(init, 0, bytes, 0, init.length);
            System.arraycopy(frag, 0, bytes, init.length, frag.length);
            int flips = 1 + rnd.nextInt(4);
            for (int k = 0; k < flips; k++) {
                bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
            }
            SegmentScan s = scan(file(bytes)); // must return, whatever the damage
            assertThat(s.validEnd()).isBetween(0L, (long) bytes.length);
            assertThat(s.fragments().size()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void absurdBoxSizesAreClearErrors() throws IOException {
        byte[] init = InitSegmentWriter.write(FORMAT);
        ByteBuffer huge = ByteBuffer.allocate(16).putInt(1).put("prft".getBytes()).putLong(Long.MAX_VALUE);
        SegmentScan s = scan(file(init, huge.array()));
        assertThat(s.problem()).contains("truncated");
        ByteBuffer tiny = ByteBuffer.allocate(8).putInt(3).put("moof".getBytes());
        assertThat(scan(file(init, tiny.array())).problem()).contains("impossible size");
        try (FileChannel ch = FileChannel.open(file(new byte[] {0, 0, 0}), StandardOpenOption.READ)) {
            assertThatThrownBy(() -> SegmentScanner.readInit(ch, ch.size()))
                    .isInstanceOf(MalformedMp4Exception.class).hasMessageContaining("truncated box header");
        }
    }
}

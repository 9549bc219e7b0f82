package org.vigie.playback.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigie.playback.privacy.MaskedFixture.KEY;
import static org.vigie.playback.privacy.MaskedFixture.PATTERN;
import static org.vigie.playback.privacy.MaskedFixture.QUARTER;
import static org.vigie.playback.privacy.MaskedFixture.START;
import static org.vigie.playback.privacy.MaskedFixture.UNIFORM;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.playback.privacy.BurnIn;
import org.vigie.playback.privacy.MaskedFixture;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.testing.Ffprobe;
import org.vigie.testing.LumaRange;

/**
 * A permanent mask over a quarter of the picture is burned into the export and the evidence bundle's video: ffmpeg
 * decodes uniform black under it in every frame and the moving test pattern outside; the export covers exactly the
 * asked window although the window starts in the middle of a GOP.
 */
class MaskedExportTest {

    @TempDir
    Path dir;
    ArchiveReader archive;
    BurnIn burnIn;

    @BeforeEach
    void record() throws Exception {
        archive = MaskedFixture.record(dir.resolve("storage"), 5);
        burnIn = new BurnIn(dir.resolve("burn-in"), 1);
    }

    private static Path save(ExportMedia e, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            e.write(new ExportSink() {
                public void bytes(byte[] b, int offset, int length) throws java.io.IOException {
                    out.write(b, offset, length);
                }

                public void file(Path f, long position, long length) throws java.io.IOException {
                    try (var ch = java.nio.channels.FileChannel.open(f)) {
                        out.write(java.nio.channels.Channels.newInputStream(ch.position(position)).readNBytes((int) length));
                    }
                }
            });
        }
        return file;
    }

    @Test
    void theExportIsMaskedInEveryFrameAndCoversExactlyTheAskedWindow() throws Exception {
        // 1.52 s is the 39th picture of the second GOP's predecessor... in the middle of a GOP (key frames every 1 s)
        java.time.Instant from = START.plusMillis(1520);
        java.time.Instant to = START.plusMillis(3520);
        Path mp4;
        try (MaskedExport e = MaskedExport.make(archive, KEY, from, to, QUARTER, burnIn).orElseThrow()) {
            assertThat(e.start()).isEqualTo(from);
            assertThat(e.end()).isEqualTo(to);
            assertThat(e.durationSeconds()).isEqualTo(2.0);
            assertThat(e.frames()).isEqualTo(50);
            assertThat(e.masks().version()).isEqualTo(7);
            mp4 = save(e, dir.resolve("export.mp4"));
            assertThat(Files.size(mp4)).isEqualTo(e.length());
        }
        assertThat(burnIn.active()).as("the slot is given back").isZero();
        assertThat(burnIn.framesTranscoded()).isEqualTo(50);
        Ffprobe.Probe p = Ffprobe.probe(mp4);
        assertThat(p.frames()).isEqualTo(50);
        assertThat(p.durationSeconds()).isEqualTo(2.0);
        assertThat(p.firstFrameKey()).isTrue();
        assertThat(Ffprobe.decodeErrors(mp4)).isEmpty();
        List<LumaRange.Frame> under = MaskedFixture.underMask(mp4.toString(), List.of(), 1000);
        List<LumaRange.Frame> outside = MaskedFixture.outsideMask(mp4.toString(), List.of(), 1000);
        assertThat(under).hasSize(50).allSatisfy(f -> assertThat(f.range()).as("luma range under the mask")
                .isLessThanOrEqualTo(UNIFORM));
        assertThat(outside).hasSize(50).allSatisfy(f -> assertThat(f.range()).as("luma range outside the mask")
                .isGreaterThan(PATTERN));
    }

    /**
     * The streamed export sends its init segment and first fragment after one GOP is encoded, before the rest of the
     * window is transcoded: the sink holds the first fragment (the transcoder then waits) while the test counts what
     * was sent, by pictures, not by the clock. The whole is then the same masked export of the asked window.
     */
    @Test
    void theStreamedExportSendsItsFirstFragmentBeforeTheWindowIsTranscoded() throws Exception {
        ArchiveReader archive = MaskedFixture.record(dir.resolve("longer"), 9);
        java.time.Instant from = START.plusMillis(520);
        java.time.Instant to = START.plusMillis(8520);
        MaskedExport.Plan plan = MaskedExport.plan(archive, KEY, from, to).orElseThrow();
        assertThat(plan.start()).isEqualTo(from);
        assertThat(plan.end()).isEqualTo(to);
        assertThat(plan.durationSeconds()).isEqualTo(8.0);
        assertThat(plan.frames()).isEqualTo(200);

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.List<byte[]> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch firstFragment = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExportSink sink = new ExportSink() {
            public void bytes(byte[] b, int offset, int length) throws java.io.IOException {
                byte[] copy = java.util.Arrays.copyOfRange(b, offset, offset + length);
                writes.add(copy);
                synchronized (out) {
                    out.write(copy);
                }
                if (writes.size() == 2) { // the init segment, then the first fragment: hold it
                    firstFragment.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
            }

            public void file(Path f, long position, long length) {
                throw new AssertionError("a streamed export sends buffers");
            }
        };
        java.util.concurrent.CompletableFuture<Long> sent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                try (BurnIn.Slot slot = burnIn.acquire()) {
                    return MaskedExport.stream(archive, plan, QUARTER, burnIn, slot, sink);
                }
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            assertThat(firstFragment.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the first fragment").isTrue();
            byte[] init = writes.get(0);
            byte[] fragment = writes.get(1);
            assertThat(Mp4Boxes.find(init, 0, init.length, "moov", "mvex", "mehd")).as("the init segment first")
                    .isPositive();
            int trun = Mp4Boxes.find(fragment, 0, fragment.length, "moof", "traf", "trun");
            long pictures = java.nio.ByteBuffer.wrap(fragment, trun + 12, 4).getInt() & 0xFFFFFFFFL;
            assertThat(pictures).as("pictures in the first fragment, of the %d of the window", plan.frames())
                    .isPositive().isLessThanOrEqualTo(MaskedExport.KEY_INTERVAL);
            assertThat(burnIn.framesTranscoded()).as("pictures encoded when the first fragment left, of the %d of"
                    + " the window", plan.frames()).isLessThanOrEqualTo(MaskedExport.KEY_INTERVAL + 1);
            assertThat(sent).as("the export goes on only once the first fragment is taken").isNotDone();
            assertThat(writes).hasSize(2);
        } finally {
            release.countDown();
        }
        assertThat(sent.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(writes.size()).as("the init segment, then a fragment per GOP").isGreaterThanOrEqualTo(5);
        Path mp4 = dir.resolve("streamed.mp4");
        synchronized (out) {
            Files.write(mp4, out.toByteArray());
        }
        Ffprobe.Probe p = Ffprobe.probe(mp4);
        assertThat(p.frames()).isEqualTo(200);
        assertThat(p.durationSeconds()).isEqualTo(8.0);
        assertThat(p.firstFrameKey()).isTrue();
        assertThat(Ffprobe.decodeErrors(mp4)).isEmpty();
        assertThat(MaskedFixture.underMask(mp4.toString(), List.of(), 1000)).hasSize(200)
                .allSatisfy(f -> assertThat(f.range()).as("luma range under the mask").isLessThanOrEqualTo(UNIFORM));
        assertThat(MaskedFixture.outsideMask(mp4.toString(), List.of(), 1000)).hasSize(200)
                .allSatisfy(f -> assertThat(f.range()).as("luma range outside the mask").isGreaterThan(PATTERN));
        assertThat(burnIn.active()).as("the slot is given back").isZero();
    }

    @Test
    void theEvidenceBundlesVideoIsMaskedItsManifestNamesTheMaskVersionAndItVerifies() throws Exception {
        EvidenceSigner signer = EvidenceSigner.loadOrCreate(dir.resolve("keys"));
        Path zip = dir.resolve("b.zip");
        try (MaskedExport e = MaskedExport.make(archive, KEY, START.plusSeconds(1), START.plusSeconds(3), QUARTER,
                burnIn).orElseThrow(); OutputStream out = Files.newOutputStream(zip)) {
            new EvidenceBundle(signer).write(e, new EvidenceBundle.Provenance("cam-1", "Capitole", "centre", "sophie",
                    "réquisition 118", START.plusSeconds(1), START.plusSeconds(3), START.plusSeconds(3600)), out);
        }
        EvidenceVerifier.Result ok = EvidenceVerifier.verify(zip, signer.fingerprint());
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.manifest().path("privacyMasks").path("version").asLong()).isEqualTo(7);
        assertThat(ok.manifest().path("privacyMasks").path("burnedIn").get(0).asText()).isEqualTo("home");
        assertThat(ok.manifest().path("durationSeconds").asDouble()).isEqualTo(2.0);
        Path video = dir.resolve("bundle.mp4");
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Files.write(video, z.getInputStream(z.getEntry(EvidenceBundle.MEDIA)).readAllBytes());
        }
        assertThat(MaskedFixture.underMask(video.toString(), List.of(), 1000)).hasSize(50)
                .allSatisfy(f -> assertThat(f.range()).as("luma range under the mask").isLessThanOrEqualTo(UNIFORM));
    }

    @Test
    void beyondTheBoundATranscodingIsRefusedAndCounted() throws Exception {
        try (BurnIn.Slot held = burnIn.acquire()) {
            assertThatThrownBy(() -> MaskedExport.make(archive, KEY, START, START.plusSeconds(1), QUARTER, burnIn))
                    .isInstanceOf(BurnIn.Busy.class)
                    .hasMessage("too many masked transcodings in progress (privacy.max-transcodes = 1), retry later");
            assertThat(burnIn.active()).isEqualTo(1);
        }
        assertThat(burnIn.refused()).isEqualTo(1);
        assertThat(burnIn.active()).isZero();
    }
}

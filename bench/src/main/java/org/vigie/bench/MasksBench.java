package org.vigie.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.gst.mask.MaskedTranscoder;
import org.vigie.media.Codec;
import org.vigie.media.Frame;
import org.vigie.media.FrameSink;
import org.vigie.media.StreamKey;
import org.vigie.media.VideoFormat;
import org.vigie.playback.export.ExportMedia;
import org.vigie.playback.export.ExportSink;
import org.vigie.playback.export.MaskedExport;
import org.vigie.playback.export.Mp4Export;
import org.vigie.playback.privacy.BurnIn;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.storage.FrameCursor;
import org.vigie.recorder.storage.Recorder;
import org.vigie.recorder.storage.RecorderConfig;
import org.vigie.simulator.ClipLibrary;
import org.vigie.simulator.ClipPreset;
import org.vigie.simulator.H264Clip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vms bench masks}: what burning privacy masks in costs, in this process (GStreamer's threads included in
 * its CPU time), side by side with the unmasked passthrough, on the simulator's 720p25 2 Mbit/s clip recorded
 * through the real recorder:
 * <ul>
 *   <li>export: {@code --seconds} of video exported as recorded ({@link Mp4Export}, bytes copied) and masked
 *       ({@link MaskedExport}, a quarter of the picture masked): CPU seconds per minute of video, and the masked
 *       export's speed in multiples of real time (target: at least 4x);</li>
 *   <li>re-stream: {@code --restream-seconds} of the recorded frames pushed at real time (25 fps) through the live
 *       masked transcoder ({@code tune=zerolatency}) against the same frames read and copied as the passthrough
 *       re-stream does: CPU in % of one core.</li>
 * </ul>
 * Results go to {@code <out>/masks-<stamp>.md}.
 */
@Command(name = "masks", mixinStandardHelpOptions = true,
        description = "CPU of a masked 720p25 export and re-stream against the unmasked passthrough; masked export speed.")
public final class MasksBench implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "60", description = "Seconds of video exported (default ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--restream-seconds", defaultValue = "20", description = "Seconds of live re-stream (default ${DEFAULT-VALUE}).")
    int restreamSeconds;
    @Option(names = "--work", defaultValue = "var/bench-masks", description = "Where the recorded archive is kept.")
    Path work;
    @Option(names = "--out", defaultValue = "bench-results")
    Path out;

    static final MaskSet QUARTER = new MaskSet(1, List.of(new PrivacyMask("home", PrivacyMask.Kind.PERMANENT,
            List.of(new PrivacyMask.Point(0, 0), new PrivacyMask.Point(0.5, 0), new PrivacyMask.Point(0.5, 0.5),
                    new PrivacyMask.Point(0, 0.5)))));
    static final long T0 = 1_767_225_600_000_000L;
    static final StreamKey KEY = StreamKey.main("bench-1");

    @Override
    public Integer call() throws Exception {
        ClipPreset preset = ClipPreset.HD_720P;
        H264Clip clip = H264Clip.read(ClipLibrary.userCache().obtain(preset), preset.fps());
        Path storage = work.toAbsolutePath().resolve("storage-" + seconds + "s");
        if (!Files.isDirectory(storage)) record(clip, preset, storage, seconds + restreamSeconds + 2);
        ArchiveReader archive = new ArchiveReader(Catalog.load(storage));
        BurnIn burnIn = new BurnIn(work.toAbsolutePath().resolve("burn-in"), 1);
        Instant from = Instant.ofEpochSecond(0, T0 * 1000);
        Instant to = from.plusSeconds(seconds);
        long pid = ProcessHandle.current().pid();

        String loadBefore = loadAverage();
        // warm-up: GStreamer's registry, x264's first pipeline, the JIT
        try (MaskedExport e = MaskedExport.make(archive, KEY, from, from.plusSeconds(2), QUARTER, burnIn).orElseThrow()) {
            drain(e);
        }
        double[] plain = measure(pid, () -> drain(Mp4Export.plan(archive, KEY, from, to).orElseThrow()));
        double[] masked = measure(pid, () -> {
            try (MaskedExport e = MaskedExport.make(archive, KEY, from, to, QUARTER, burnIn).orElseThrow()) {
                drain(e);
            }
        });
        double[] plain2 = measure(pid, () -> drain(Mp4Export.plan(archive, KEY, from, to).orElseThrow()));
        double[] masked2 = measure(pid, () -> {
            try (MaskedExport e = MaskedExport.make(archive, KEY, from, to, QUARTER, burnIn).orElseThrow()) {
                drain(e);
            }
        });

        Instant rs = to;
        double[] passthrough = measure(pid, () -> restream(archive, rs, false));
        double[] live = measure(pid, () -> restream(archive, rs, true));

        double perMinute = 60.0 / seconds;
        StringBuilder r = new StringBuilder();
        r.append("# vms bench masks ").append(Instant.now()).append("\n\n");
        r.append("Clip: ").append(preset.width()).append('x').append(preset.height()).append(' ').append(preset.fps())
                .append(" fps, ").append(preset.bitrateKbps()).append(" kbit/s, GOP ").append(preset.gopFrames())
                .append(" (the simulator's 720p clip), recorded through the recorder; mask: a quarter of the picture; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores; load average before: ")
                .append(loadBefore).append("; after: ").append(loadAverage()).append("\n\n");
        r.append("| export of ").append(seconds).append(" s | run | CPU s per minute of video | wall s | x real time |\n|---|---|---|---|---|\n");
        row(r, "unmasked (passthrough)", 1, plain, perMinute, seconds);
        row(r, "masked (re-encode)", 1, masked, perMinute, seconds);
        row(r, "unmasked (passthrough)", 2, plain2, perMinute, seconds);
        row(r, "masked (re-encode)", 2, masked2, perMinute, seconds);
        r.append("\n| re-stream, ").append(restreamSeconds).append(" s at real time | CPU % of one core |\n|---|---|\n");
        r.append(String.format(Locale.ROOT, "| unmasked (passthrough: frames read and copied) | %.1f |%n",
                100 * passthrough[0] / passthrough[1]));
        r.append(String.format(Locale.ROOT, "| masked (decode, mask, x264 zerolatency at the live masked stream's settings) | %.1f |%n", 100 * live[0] / live[1]));
        int cores = Runtime.getRuntime().availableProcessors();
        r.append(String.format(Locale.ROOT, "%nMasked export speed: %.1fx and %.1fx real time (target >= 4x); "
                        + "bound by CPU alone (x264 and the decoder use every core): %.1fx and %.1fx on %d idle cores "
                        + "(seconds x cores / CPU seconds). Compare the wall figure with the load average: on a shared "
                        + "machine the wall time measures the other processes too.%n",
                seconds / masked[1], seconds / masked2[1], seconds * cores / masked[0], seconds * cores / masked2[0],
                cores));
        Files.createDirectories(out);
        Path report = out.resolve("masks-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(Instant.now()) + ".md");
        Files.writeString(report, r.toString());
        System.out.println(r);
        System.out.println("written to " + report);
        return 0;
    }

    private static void row(StringBuilder r, String what, int run, double[] m, double perMinute, int seconds) {
        r.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.1f |%n", what, run, m[0] * perMinute, m[1],
                seconds / m[1]));
    }

    interface Run {
        void run() throws Exception;
    }

    /** {CPU seconds of this process, wall seconds} of one run. */
    private static double[] measure(long pid, Run run) throws Exception {
        double cpu0 = ProcessSampler.cpuSeconds(pid);
        long t0 = System.nanoTime();
        run.run();
        long t1 = System.nanoTime();
        double cpu1 = ProcessSampler.cpuSeconds(pid);
        return new double[] {cpu1 - cpu0, (t1 - t0) / 1e9};
    }

    /** Reads the whole export as a client would be sent it (file bytes read into memory and dropped). */
    private static void drain(ExportMedia e) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        e.write(new ExportSink() {
            public void bytes(byte[] b, int offset, int length) {
            }

            public void file(Path file, long position, long length) throws IOException {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    long done = 0;
                    while (done < length) {
                        buf.clear().limit((int) Math.min(buf.capacity(), length - done));
                        int n = ch.read(buf, position + done);
                        if (n < 0) throw new IOException("short read");
                        done += n;
                    }
                }
            }
        });
    }

    /** {@code restreamSeconds} of frames from {@code from}, paced at 25 fps, masked through the live transcoder or copied. */
    private void restream(ArchiveReader archive, Instant from, boolean masked) throws Exception {
        int frames = restreamSeconds * 25;
        MaskedTranscoder t = null;
        long[] out = {0};
        try (FrameCursor cursor = archive.framesFrom(KEY, from)) {
            long start = System.nanoTime();
            for (int n = 0; n < frames && cursor.hasNext(); n++) {
                Frame f = cursor.next();
                if (masked && t == null) {
                    Path png = new BurnIn(work.toAbsolutePath().resolve("burn-in"), 1)
                            .maskImage(QUARTER, f.format().width(), f.format().height());
                    t = MaskedTranscoder.start(f.format(), png, org.vigie.playback.privacy.MaskedSender.settings(f.format()), 0,
                            new MaskedTranscoder.Output() {
                                public void format(VideoFormat v) {
                                }

                                public void frame(byte[] au, long pts, long d, boolean k) {
                                    out[0] += au.length;
                                }

                                public void end() {
                                }

                                public void failed(String m) {
                                }
                            }, "bench");
                }
                if (masked) {
                    t.push(f.data(), n * 40_000_000L, 40_000_000L);
                } else {
                    out[0] += f.data().clone().length;
                }
                long due = start + (n + 1) * 40_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (t != null) t.finish(30, TimeUnit.SECONDS);
        } finally {
            if (t != null) t.close();
        }
    }

    /** Records {@code seconds} of the looped clip into {@code storage} through the real recorder. */
    private static void record(H264Clip clip, ClipPreset preset, Path storage, int seconds) throws IOException {
        VideoFormat format = new VideoFormat(Codec.H264, preset.width(), preset.height(), avcC(clip.sps(), clip.pps()));
        try (Recorder rec = Recorder.open(RecorderConfig.defaults(storage)
                .withDurations(Duration.ofSeconds(10), Duration.ofSeconds(1)).withQueue(1, 100_000), InstantSource.system())) {
            FrameSink sink = rec.sink(KEY);
            int n = seconds * preset.fps();
            for (int i = 0; i < n; i++) {
                H264Clip.AccessUnit au = clip.accessUnit(i % clip.size());
                sink.onFrame(new Frame(format, 1, 90_000L + i * 3600L, T0 + i * 40_000L, au.idr(), avcc(au.nalUnits())));
            }
            sink.onSessionEnd(1);
        }
    }

    private static byte[] avcc(List<byte[]> nals) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            int type = nal[0] & 0x1f;
            if (type == 7 || type == 8 || type == 9) continue; // parameter sets in the avcC; no delimiters
            b.write(nal.length >>> 24);
            b.write(nal.length >>> 16);
            b.write(nal.length >>> 8);
            b.write(nal.length);
            b.writeBytes(nal);
        }
        return b.toByteArray();
    }

    private static byte[] avcC(byte[] sps, byte[] pps) {
        ByteBuffer b = ByteBuffer.allocate(11 + sps.length + pps.length);
        b.put((byte) 1).put(sps[1]).put(sps[2]).put(sps[3]).put((byte) 0xff).put((byte) 0xe1);
        b.putShort((short) sps.length).put(sps).put((byte) 1).putShort((short) pps.length).put(pps);
        return b.array();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}

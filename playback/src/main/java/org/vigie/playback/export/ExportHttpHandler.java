package org.vigie.playback.export;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.StreamKey;
import org.vigie.recorder.retention.RecordingRegister;
import org.vigie.recorder.retention.RegisterEntry;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.base.privacy.MaskSet;
import org.vigie.playback.CameraInfo;
import org.vigie.playback.MaskLift;
import org.vigie.playback.MaskRefusedException;
import org.vigie.playback.privacy.BurnIn;
import org.vigie.playback.PlaybackAccess;
import org.vigie.playback.Right;
import org.vigie.playback.Viewer;

/**
 * Serves {@code GET|HEAD /api/v1/cameras/{id}/export.mp4?from=&to=&reason=} (a standard MP4 of the window, see
 * {@link Mp4Export}, with HTTP Range: 206 and Content-Range for one range, 416 outside) and
 * {@code GET /api/v1/cameras/{id}/export.zip?...} (the signed evidence bundle, {@link EvidenceBundle}, chunked);
 * every other request passes on to the next handler untouched.
 *
 * <p>Both need a bearer token of a user with the {@link Right#EXPORT} right on the camera (401, 403 audited
 * as a denial) and a non-blank {@code reason} (400 without one); each GET is written to the audit trail with its
 * reason, and to the law's register of exports, byte ranges included (the register lists each exported window once,
 * however many ranges a player reads it in). Optional {@code stream} ({@code main}, {@code sub}), {@code recipient}
 * and {@code case} go to the register.
 *
 * <p>Threading: the event loop only copies the request and suspends reading; planning, audit and the body run on
 * the bounded export executor (full: 503), which writes the body under {@link WriteFlow} control: sample payloads
 * as zero-copy {@link DefaultFileRegion}s, or 64 KiB heap chunks under TLS. Sharable.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class ExportHttpHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ExportHttpHandler.class);
    static final Pattern PATH = Pattern.compile("/api/v1/cameras/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/export\\.(mp4|zip)");
    /** Longest window one export may cover. */
    static final Duration MAX_WINDOW = Duration.ofHours(24);
    static final int MAX_REASON = 1000;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final PlaybackAccess access;
    private final ArchiveReader archive;
    private final EvidenceBundle bundles;
    private final RecordingRegister register;
    private final Executor executor;
    private final InstantSource clock;
    private final BurnIn burnIn;
    private final ExportParts parts;

    public ExportHttpHandler(PlaybackAccess access, ArchiveReader archive, EvidenceBundle bundles,
                             RecordingRegister register, Executor executor, InstantSource clock, BurnIn burnIn) {
        this(access, archive, bundles, register, executor, clock, burnIn, null);
    }

    /**
     * @param register the law's register of exports, or null when retention is not set up
     * @param burnIn   burns the masks of a masked camera into its exports
     * @param parts    in a cluster, the parts of a window held by other nodes (an export across a failover is
     *                 stitched into one file, {@link StitchedExport}); null on a single node
     */
    public ExportHttpHandler(PlaybackAccess access, ArchiveReader archive, EvidenceBundle bundles,
                             RecordingRegister register, Executor executor, InstantSource clock, BurnIn burnIn,
                             ExportParts parts) {
        this.parts = parts;
        this.burnIn = burnIn;
        this.access = access;
        this.archive = archive;
        this.bundles = bundles;
        this.register = register;
        this.executor = executor;
        this.clock = clock;
    }

    private record Request(HttpMethod method, String camera, boolean zip, Map<String, List<String>> query,
                           String authorization, String range, boolean keepAlive, String remote) {
        String param(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    /** A refusal with its status. */
    static final class Refusal extends Exception {
        final HttpResponseStatus status;

        Refusal(HttpResponseStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder qs;
        try {
            qs = new QueryStringDecoder(req.uri());
        } catch (IllegalArgumentException e) {
            ctx.fireChannelRead(msg);
            return;
        }
        Matcher m = PATH.matcher(qs.path());
        if (!m.matches() || !(req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD))) {
            ctx.fireChannelRead(msg);
            return;
        }
        Request r;
        try {
            r = new Request(req.method(), m.group(1), m.group(2).equals("zip"), qs.parameters(),
                    req.headers().get(HttpHeaderNames.AUTHORIZATION), req.headers().get(HttpHeaderNames.RANGE),
                    HttpUtil.isKeepAlive(req), String.valueOf(ctx.channel().remoteAddress()));
        } finally {
            req.release();
        }
        Channel ch = ctx.channel();
        boolean tls = ctx.pipeline().get(SslHandler.class) != null;
        ch.config().setAutoRead(false);
        try {
            executor.execute(() -> serve(ch, r, tls));
        } catch (RejectedExecutionException e) {
            error(ch, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many exports in progress, retry later", r.keepAlive);
        }
    }

    private void serve(Channel ch, Request r, boolean tls) {
        boolean bodyStarted = false;
        MaskedExport masked = null;
        StitchedExport stitched = null;
        GatheredArchive gathered = null;
        try {
            Viewer user = authenticate(r);
            CameraInfo camera = access.camera(r.camera).orElseThrow(() -> new Refusal(HttpResponseStatus.NOT_FOUND,
                    "no camera '" + r.camera + "'"));
            if (!access.may(user, Right.EXPORT, r.camera)) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("method", r.method.name());
                d.put("path", "/api/v1/cameras/" + r.camera + "/export." + (r.zip ? "zip" : "mp4"));
                d.put("reason", "no export right on the camera");
                d.put("remote", r.remote);
                access.auditDenied(user, r.camera, d);
                throw new Refusal(HttpResponseStatus.FORBIDDEN, "no export right on camera '" + r.camera + "'");
            }
            Instant from = instant(r, "from");
            Instant to = instant(r, "to");
            if (!to.isAfter(from)) throw new Refusal(HttpResponseStatus.BAD_REQUEST, "'to' must be after 'from'");
            if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
                throw new Refusal(HttpResponseStatus.BAD_REQUEST, "an export covers at most " + MAX_WINDOW.toHours() + " h");
            }
            String reason = r.param("reason");
            if (reason == null || reason.isBlank()) {
                throw new Refusal(HttpResponseStatus.BAD_REQUEST, "an export needs a 'reason' (the law requires it)");
            }
            if (reason.length() > MAX_REASON) throw new Refusal(HttpResponseStatus.BAD_REQUEST, "reason too long");
            String stream = Optional.ofNullable(r.param("stream")).orElse(StreamKey.MAIN);
            if (!stream.equals(StreamKey.MAIN) && !stream.equals(StreamKey.SUB)) {
                throw new Refusal(HttpResponseStatus.BAD_REQUEST, "'stream' must be main or sub");
            }
            // one node's part of a stitched export, asked by the node the user asked (a signed node call, never a
            // user's request): registered there, once; an MP4 part is sent unmasked, the node asked burns the masks
            // of the user into the gathered frames
            boolean part = "cluster".equals(r.param("part")) && access.relayed(user);
            MaskSet masks = part && !r.zip ? MaskSet.NONE : masks(r, user);
            ArchiveReader source = archive;
            if (!masks.isEmpty() && parts != null && !part) {
                // a masked export across a failover: the parts gathered unmasked, the masks burned in here, once
                ExportParts.Plan plan = parts.plan(user, new StreamKey(r.camera, stream), from, to);
                if (plan != null && !plan.localOnly()) {
                    if (r.method.equals(HttpMethod.HEAD)) {
                        gatheredHead(ch, r, plan, masks);
                        return;
                    }
                    stitched = stitch(user, new StreamKey(r.camera, stream), reason, plan);
                    if (stitched == null) {
                        throw new Refusal(HttpResponseStatus.NOT_FOUND, "nothing recorded between " + from + " and "
                                + to + gapsText(plan.gaps()));
                    }
                    gathered = GatheredArchive.of(stitched, burnIn.workDir());
                    source = gathered.reader();
                }
            }
            if (!masks.isEmpty() && !r.zip) {
                streamMasked(ch, r, user, reason, new StreamKey(r.camera, stream), from, to, masks, source, stitched);
                return;
            }
            if (!masks.isEmpty() && r.method.equals(HttpMethod.HEAD)) {
                // the length of a masked bundle is known once it is made: a HEAD does not make it
                HttpResponse head = head(HttpResponseStatus.OK, "application/zip", r.camera + ".zip");
                HttpUtil.setTransferEncodingChunked(head, true);
                head.headers().set("X-Export-Masks", masks.version());
                finish(ch, head, r.keepAlive);
                return;
            }
            masked = masks.isEmpty() ? null : MaskedExport.make(source, new StreamKey(r.camera, stream), from, to,
                    masks, burnIn).orElseThrow(() -> new Refusal(HttpResponseStatus.NOT_FOUND, "nothing recorded"
                    + " between " + from + " and " + to));
            if (masked == null && parts != null && !part) {
                ExportParts.Plan plan = parts.plan(user, new StreamKey(r.camera, stream), from, to);
                if (plan != null && !plan.localOnly()) {
                    stitched = stitch(user, new StreamKey(r.camera, stream), reason, plan);
                    if (stitched == null) {
                        throw new Refusal(HttpResponseStatus.NOT_FOUND, "nothing recorded between " + from + " and "
                                + to + gapsText(plan.gaps()));
                    }
                }
            }
            ExportMedia export = masked != null ? masked : stitched != null ? stitched
                    : Mp4Export.plan(archive, new StreamKey(r.camera, stream),
                    from, to).orElseThrow(() -> new Refusal(HttpResponseStatus.NOT_FOUND, "nothing recorded between "
                    + from + " and " + to)).withMaskVersion(masks);
            String name = r.camera + "_" + compact(export.start()) + "_" + compact(export.end());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("from", from.toString());
            detail.put("to", to.toString());
            detail.put("start", export.start().toString());
            detail.put("end", export.end().toString());
            detail.put("stream", stream);
            detail.put("format", r.zip ? "evidence-zip" : "mp4");
            detail.put("remote", r.remote);
            detail.put("maskVersion", masks.version());
            detail.put("masksBurnedIn", masks.masks().size());
            if (stitched != null) {
                detail.put("stitchedParts", stitched.partsUsed());
                if (!stitched.gaps().isEmpty()) detail.put("gaps", gapsText(stitched.gaps()));
            }
            if (r.zip) {
                if (r.method.equals(HttpMethod.HEAD)) {
                    HttpResponse head = head(HttpResponseStatus.OK, "application/zip", name + ".zip");
                    HttpUtil.setTransferEncodingChunked(head, true);
                    finish(ch, head, r.keepAlive);
                    return;
                }
                access.auditExport(user, r.camera, reason, detail);
                if (!part) registerExport(r, user, export, from, to, export.length());
                HttpResponse head = head(HttpResponseStatus.OK, "application/zip", name + ".zip");
                HttpUtil.setTransferEncodingChunked(head, true);
                gapHeaders(head, stitched);
                WriteFlow flow = new WriteFlow(ch);
                bodyStarted = true;
                flow.write(head, 0);
                try (OutputStream out = new java.io.BufferedOutputStream(new ChunkStream(flow), 64 * 1024)) {
                    bundles.write(export, new EvidenceBundle.Provenance(r.camera, camera.name(), camera.group(),
                            user.username(), reason, from, to, clock.instant()), out);
                }
                flow.write(LastHttpContent.EMPTY_LAST_CONTENT, 0);
                done(ch, r.keepAlive);
                return;
            }
            long total = export.length();
            long a = 0;
            long b = total;
            HttpResponseStatus status = HttpResponseStatus.OK;
            if (r.range != null) {
                long[] range = parseRange(r.range, total);
                if (range == null) {
                    HttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                    res.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + total);
                    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                    finish(ch, res, r.keepAlive);
                    return;
                }
                if (range.length == 2) {
                    a = range[0];
                    b = range[1];
                    status = HttpResponseStatus.PARTIAL_CONTENT;
                }
            }
            HttpResponse head = head(status, "video/mp4", name + ".mp4");
            HttpUtil.setContentLength(head, b - a);
            if (status.equals(HttpResponseStatus.PARTIAL_CONTENT)) {
                head.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + a + "-" + (b - 1) + "/" + total);
            }
            head.headers().set("X-Export-Start", export.start().toString());
            head.headers().set("X-Export-End", export.end().toString());
            head.headers().set("X-Export-Masks", export.masks().version());
            if (export.cutAtFormatChange()) head.headers().set("X-Export-Cut", "format-change");
            gapHeaders(head, stitched);
            if (r.method.equals(HttpMethod.HEAD)) {
                finish(ch, head, r.keepAlive);
                return;
            }
            detail.put("bytes", b - a);
            if (status.equals(HttpResponseStatus.PARTIAL_CONTENT)) detail.put("range", a + "-" + (b - 1));
            access.auditExport(user, r.camera, reason, detail);
            if (!part) registerExport(r, user, export, from, to, total); // the register lists each window once
            WriteFlow flow = new WriteFlow(ch);
            bodyStarted = true;
            flow.write(head, 0);
            export.write(a, b, new ChannelSink(flow, tls));
            flow.write(LastHttpContent.EMPTY_LAST_CONTENT, 0);
            done(ch, r.keepAlive);
        } catch (Refusal e) {
            error(ch, e.status, e.getMessage(), r.keepAlive);
        } catch (BurnIn.Busy e) {
            error(ch, HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage(), r.keepAlive);
        } catch (IOException e) {
            LOG.info("export of {} to {} stopped: {}", r.camera, r.remote, e.toString());
            ch.close();
        } catch (Exception e) {
            LOG.error("export of {} failed", r.camera, e);
            if (bodyStarted) {
                ch.close();
            } else {
                error(ch, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error (see the server log)", false);
            }
        } finally {
            if (gathered != null) {
                try {
                    gathered.close(); // read by the transcoding only, which is over
                } catch (IOException e) {
                    LOG.warn("cannot delete the gathered frames of an export", e);
                }
            }
            if (stitched != null) {
                StitchedExport s = stitched;
                if (ch.isActive()) {
                    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> delete(s));
                } else {
                    delete(s);
                }
            }
            if (masked != null) {
                // the body's file regions are read when the channel sends them, after this returns: the file is
                // deleted once everything written before is flushed (or the connection is gone)
                MaskedExport m = masked;
                if (ch.isActive()) {
                    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> delete(m));
                } else {
                    delete(m);
                }
            }
        }
    }

    /**
     * {@code export.mp4} of a masked camera, streamed as it is encoded ({@link MaskedExport#stream}): 200, chunked,
     * the times, duration and mask version from the plan in the headers; no {@code Content-Length} (the size is
     * known once encoded) and no ranges ({@code Accept-Ranges: none}; a {@code Range} gets the whole body, 200). A
     * HEAD answers the same headers without making the export. The export is registered and audited before its
     * first byte.
     */
    private void streamMasked(Channel ch, Request r, Viewer user, String reason, StreamKey key, Instant from,
                              Instant to, MaskSet masks, ArchiveReader source, StitchedExport stitched)
            throws Exception {
        MaskedExport.Plan plan = MaskedExport.plan(source, key, from, to).orElseThrow(() -> new Refusal(
                HttpResponseStatus.NOT_FOUND, "nothing recorded between " + from + " and " + to));
        String name = r.camera + "_" + compact(plan.start()) + "_" + compact(plan.end());
        HttpResponse head = head(HttpResponseStatus.OK, "video/mp4", name + ".mp4");
        head.headers().set(HttpHeaderNames.ACCEPT_RANGES, "none");
        HttpUtil.setTransferEncodingChunked(head, true);
        head.headers().set("X-Export-Start", plan.start().toString());
        head.headers().set("X-Export-End", plan.end().toString());
        head.headers().set("X-Export-Duration", String.valueOf(plan.durationSeconds()));
        head.headers().set("X-Export-Masks", masks.version());
        if (plan.cut()) head.headers().set("X-Export-Cut", "format-change");
        gapHeaders(head, stitched);
        if (r.method.equals(HttpMethod.HEAD)) {
            finish(ch, head, r.keepAlive);
            return;
        }
        try (BurnIn.Slot slot = burnIn.acquire()) { // before the answer: beyond the bound, 503 (not audited)
            streamMasked(ch, r, user, reason, key, from, to, masks, plan, head, slot, source, stitched);
        }
    }

    private void streamMasked(Channel ch, Request r, Viewer user, String reason, StreamKey key, Instant from,
                              Instant to, MaskSet masks, MaskedExport.Plan plan, HttpResponse head,
                              BurnIn.Slot slot, ArchiveReader source, StitchedExport stitched) throws Exception {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from", from.toString());
        detail.put("to", to.toString());
        detail.put("start", plan.start().toString());
        detail.put("end", plan.end().toString());
        detail.put("stream", key.stream());
        detail.put("format", "mp4");
        detail.put("remote", r.remote);
        detail.put("maskVersion", masks.version());
        detail.put("masksBurnedIn", masks.masks().size());
        detail.put("streamed", true);
        if (stitched != null) {
            detail.put("stitchedParts", stitched.partsUsed());
            if (!stitched.gaps().isEmpty()) detail.put("gaps", gapsText(stitched.gaps()));
        }
        if (r.range != null) detail.put("rangeIgnored", r.range);
        access.auditExport(user, r.camera, reason, detail);
        WriteFlow flow = new WriteFlow(ch);
        ChannelSink body = new ChannelSink(flow, true);
        long[] sent = new long[1];
        ExportSink counting = new ExportSink() {
            @Override
            public void bytes(byte[] b, int offset, int length) throws IOException {
                body.bytes(b, offset, length);
                sent[0] += length;
            }

            @Override
            public void file(Path file, long position, long length) throws IOException {
                body.file(file, position, length);
                sent[0] += length;
            }
        };
        try {
            flow.write(head, 0);
            MaskedExport.stream(source, plan, masks, burnIn, slot, counting);
            flow.write(LastHttpContent.EMPTY_LAST_CONTENT, 0);
        } catch (RuntimeException e) { // the headers are sent: no error answer can follow, the body is cut
            LOG.error("masked export of {} failed", r.camera, e);
            throw new IOException("masked export failed: " + e);
        } finally {
            // the size is known at the end (what was sent, if the client left before)
            registerExport(r, user, plan.key(), from, to, sent[0], masks.version());
        }
        done(ch, r.keepAlive);
    }

    /**
     * A HEAD of a masked export across a failover: its headers without gathering the parts (the times are known once
     * they are gathered); the window asked is given as the export's.
     */
    private void gatheredHead(Channel ch, Request r, ExportParts.Plan plan, MaskSet masks) {
        HttpResponse head = head(HttpResponseStatus.OK, r.zip ? "application/zip" : "video/mp4",
                r.camera + (r.zip ? ".zip" : ".mp4"));
        HttpUtil.setTransferEncodingChunked(head, true);
        if (!r.zip) head.headers().set(HttpHeaderNames.ACCEPT_RANGES, "none");
        head.headers().set("X-Export-Masks", masks.version());
        head.headers().set("X-Export-Parts", String.valueOf(plan.parts().size()));
        if (!plan.gaps().isEmpty()) head.headers().set("X-Export-Gaps", gapsText(plan.gaps()).substring(2));
        finish(ch, head, r.keepAlive);
    }

    /**
     * The parts of the window gathered into one file: this node's from its archive, the others' fetched from them
     * ({@link ExportParts#fetch}); a part whose node does not answer becomes a gap. Null when no part has a sample.
     */
    private StitchedExport stitch(Viewer user, StreamKey key, String reason, ExportParts.Plan plan)
            throws Exception {
        List<java.nio.file.Path> files = new java.util.ArrayList<>();
        List<ExportParts.Gap> gaps = new java.util.ArrayList<>(plan.gaps());
        java.nio.file.Path dir = burnIn.workDir();
        java.nio.file.Files.createDirectories(dir);
        try {
            for (ExportParts.Part p : plan.parts()) {
                java.nio.file.Path f = java.nio.file.Files.createTempFile(dir, "part-" + key.cameraId() + "-", ".mp4");
                files.add(f);
                try {
                    if (p.local()) {
                        Optional<Mp4Export> mine = Mp4Export.plan(archive, key, p.from(), p.to());
                        if (mine.isEmpty()) continue;
                        try (FileChannel out = FileChannel.open(f, StandardOpenOption.WRITE)) {
                            mine.get().write(new FileSink(out));
                        }
                    } else {
                        parts.fetch(user, key, p, reason, f);
                    }
                } catch (Exception e) {
                    if (p.local()) throw e;
                    LOG.warn("export of {}: node {} did not give its part {}..{}: {}", key, p.node(), p.from(),
                            p.to(), e.toString());
                    java.nio.file.Files.write(f, new byte[0]);
                    gaps.add(new ExportParts.Gap(p.from(), p.to(), p.node(), "held by node " + p.node()
                            + ", which did not answer"));
                }
            }
            gaps.sort(java.util.Comparator.comparing(ExportParts.Gap::from));
            List<java.nio.file.Path> nonEmpty = new java.util.ArrayList<>();
            for (java.nio.file.Path f : files) if (java.nio.file.Files.size(f) > 0) nonEmpty.add(f);
            return StitchedExport.make(key, nonEmpty, gaps, dir);
        } finally {
            for (java.nio.file.Path f : files) java.nio.file.Files.deleteIfExists(f);
        }
    }

    private static void gapHeaders(HttpResponse head, StitchedExport stitched) {
        if (stitched == null) return;
        head.headers().set("X-Export-Parts", String.valueOf(stitched.partsUsed()));
        if (!stitched.gaps().isEmpty()) head.headers().set("X-Export-Gaps", gapsText(stitched.gaps()).substring(2));
    }

    /** {@code "; gaps: from/to node: reason, ..."}, empty without gaps. */
    private static String gapsText(List<ExportParts.Gap> gaps) {
        if (gaps.isEmpty()) return "";
        StringBuilder b = new StringBuilder("; ");
        for (ExportParts.Gap g : gaps) {
            if (b.length() > 2) b.append(", ");
            b.append(g.from()).append('/').append(g.to()).append(' ').append(g.reason());
        }
        return b.toString();
    }

    /** An export written into a file. */
    private record FileSink(FileChannel out) implements ExportSink {
        @Override
        public void bytes(byte[] b, int offset, int length) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, offset, length);
            while (buf.hasRemaining()) out.write(buf);
        }

        @Override
        public void file(java.nio.file.Path file, long position, long length) throws IOException {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long done = 0;
                while (done < length) {
                    long n = in.transferTo(position + done, length - done, out);
                    if (n <= 0) throw new IOException("short read of " + file);
                    done += n;
                }
            }
        }
    }

    private static void delete(StitchedExport s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.warn("cannot delete a stitched export's file", e);
        }
    }

    private static void delete(MaskedExport m) {
        try {
            m.close();
        } catch (IOException e) {
            LOG.warn("cannot delete a masked export's file", e);
        }
    }

    /** The masks in force for this user and request ({@code unmask=liftable} and the reason lift liftable ones). */
    private MaskSet masks(Request r, Viewer user) throws Exception {
        MaskLift lift;
        try {
            lift = MaskLift.ofQuery(r.query);
        } catch (IllegalArgumentException e) {
            throw new Refusal(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        try {
            return access.masks(user, r.camera, lift, Map.of("via", r.zip ? "export.zip" : "export.mp4"));
        } catch (MaskRefusedException e) {
            throw new Refusal(HttpResponseStatus.FORBIDDEN, e.getMessage());
        }
    }

    private void registerExport(Request r, Viewer user, ExportMedia export, Instant from, Instant to, long bytes) {
        registerExport(r, user, export.key(), from, to, bytes, export.masks().version());
    }

    private void registerExport(Request r, Viewer user, StreamKey key, Instant from, Instant to, long bytes,
                                long maskVersion) {
        if (register == null) return;
        try {
            register.recordExport(RegisterEntry.Kind.EXPORT, r.camera, key.stream(), from, to,
                    user.username(), r.param("recipient"), r.param("case"), bytes, maskVersion);
        } catch (IOException e) {
            LOG.error("cannot write the export of {} to the register", r.camera, e);
        }
    }

    private Viewer authenticate(Request r) throws Exception {
        Optional<Viewer> p = access.authenticate(r.authorization, r.method.name(),
                "/api/v1/cameras/" + r.camera + "/export." + (r.zip ? "zip" : "mp4"));
        if (p.isEmpty()) {
            throw new Refusal(HttpResponseStatus.UNAUTHORIZED, "authentication required: send 'Authorization: Bearer <token or API key>'");
        }
        return p.get();
    }

    private static Instant instant(Request r, String name) throws Refusal {
        String v = r.param(name);
        if (v == null) throw new Refusal(HttpResponseStatus.BAD_REQUEST, "query parameter '" + name + "' is required");
        try {
            return org.vigie.base.InstantBounds.parse(v);
        } catch (java.time.DateTimeException e) {
            throw new Refusal(HttpResponseStatus.BAD_REQUEST, "query parameter '" + name + "' must be "
                    + org.vigie.base.InstantBounds.EXPECTED);
        }
    }

    /**
     * {@code {a, b}} (half-open) for one satisfiable range, {@code {}} to ignore the header (several ranges, other
     * units: the whole file is sent), null when unsatisfiable (416).
     */
    static long[] parseRange(String header, long total) {
        String h = header.trim();
        if (h.contains(",") || !h.startsWith("bytes=")) return new long[0];
        Matcher m = RANGE.matcher(h);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) return null;
        try {
            if (m.group(1).isEmpty()) { // suffix: the last n bytes
                long n = Long.parseLong(m.group(2));
                if (n == 0 || total == 0) return null;
                return new long[] {Math.max(0, total - n), total};
            }
            long a = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? total - 1 : Math.min(Long.parseLong(m.group(2)), total - 1);
            if (a >= total || last < a) return null;
            return new long[] {a, last + 1};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static HttpResponse head(HttpResponseStatus status, String type, String fileName) {
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, type);
        h.set(HttpHeaderNames.ACCEPT_RANGES, type.equals("video/mp4") ? "bytes" : "none");
        h.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        return res;
    }

    private static String compact(Instant t) {
        return org.vigie.rtsp.header.Range.formatClock(t).replace(".", "");
    }

    private static void finish(Channel ch, HttpResponse res, boolean keepAlive) {
        if (!(res instanceof DefaultFullHttpResponse)) {
            ch.write(res);
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            ch.writeAndFlush(res);
        }
        done(ch, keepAlive);
    }

    private static void done(Channel ch, boolean keepAlive) {
        if (keepAlive) {
            ch.config().setAutoRead(true);
        } else {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void error(Channel ch, HttpResponseStatus status, String message, boolean keepAlive) {
        byte[] body = ("{\"status\":" + status.code() + ",\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"}").getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vigie\"");
        }
        if (keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ch.writeAndFlush(res);
        done(ch, keepAlive);
    }

    /** The MP4 body into the channel: headers as buffers, payloads as file regions (chunks under TLS). */
    private static final class ChannelSink implements ExportSink {
        private static final int CHUNK = 64 * 1024;
        private final WriteFlow flow;
        private final boolean tls;

        ChannelSink(WriteFlow flow, boolean tls) {
            this.flow = flow;
            this.tls = tls;
        }

        @Override
        public void bytes(byte[] b, int offset, int length) throws IOException {
            if (length > 0) flow.write(new DefaultHttpContent(Unpooled.wrappedBuffer(b, offset, length)), length);
        }

        @Override
        public void file(Path file, long position, long length) throws IOException {
            if (length <= 0) return;
            if (!tls) {
                flow.write(new DefaultFileRegion(file.toFile(), position, length), length);
                return;
            }
            try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
                long done = 0;
                while (done < length) {
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, length - done));
                    while (buf.hasRemaining()) {
                        if (fc.read(buf, position + done + buf.position()) < 0) throw new IOException("short read of " + file);
                    }
                    done += buf.capacity();
                    flow.write(new DefaultHttpContent(Unpooled.wrappedBuffer(buf.array())), buf.capacity());
                }
            }
        }
    }

    /** An output stream of HTTP chunks (each write becomes one chunk: wrap it in a buffered stream). */
    private static final class ChunkStream extends OutputStream {
        private final WriteFlow flow;

        ChunkStream(WriteFlow flow) {
            this.flow = flow;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) flow.write(new DefaultHttpContent(Unpooled.copiedBuffer(b, off, len)), len);
        }
    }
}

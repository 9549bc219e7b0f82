package org.vigie.playback.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an evidence bundle: a zip of the export ({@value #MEDIA}), a manifest ({@value #MANIFEST}: camera id, name
 * and group, stream, requested window, UTC start and end of the media, operator, reason, creation time, size and
 * SHA-256 of the media, the privacy masks burned in and their version, the server key's fingerprint), the detached Ed25519 signature of the manifest's exact bytes
 * ({@value #SIGNATURE}, base64) and the server's public key ({@value #PUBLIC_KEY}). The media is streamed through
 * the zip (stored, not compressed: video does not compress) while it is hashed, so the manifest, written last,
 * holds its hash; nothing is built whole in memory. Stateless but for the signer; blocking.
 */
public final class EvidenceBundle {

    public static final String MEDIA = "export.mp4";
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.json.sig";
    public static final String PUBLIC_KEY = "public-key.pem";
    public static final String FORMAT = "vigie-evidence-1";
    /** The entries of a bundle zip, in order. */
    public static final java.util.List<String> ENTRIES = java.util.List.of(MEDIA, MANIFEST, SIGNATURE, PUBLIC_KEY);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final EvidenceSigner signer;

    public EvidenceBundle(EvidenceSigner signer) {
        this.signer = signer;
    }

    /** Who exported what, for the manifest. */
    public record Provenance(String cameraId, String cameraName, String cameraGroup, String operator, String reason,
                             Instant requestedFrom, Instant requestedTo, Instant createdAt) {
    }

    /** Writes the bundle to {@code out} (not closed); returns the manifest written. */
    public Map<String, Object> write(ExportMedia export, Provenance p, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        zip.setLevel(Deflater.NO_COMPRESSION);
        MessageDigest sha = sha256();
        zip.putNextEntry(entry(MEDIA, p.createdAt()));
        long[] written = {0};
        export.write(new ExportSink() {
            @Override
            public void bytes(byte[] b, int offset, int length) throws IOException {
                sha.update(b, offset, length);
                zip.write(b, offset, length);
                written[0] += length;
            }

            @Override
            public void file(Path file, long position, long length) throws IOException {
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    long done = 0;
                    while (done < length) {
                        buf.clear().limit((int) Math.min(buf.capacity(), length - done));
                        int n = ch.read(buf, position + done);
                        if (n < 0) throw new IOException("short read of " + file);
                        bytes(buf.array(), 0, n);
                        done += n;
                    }
                }
            }
        });
        zip.closeEntry();
        Map<String, Object> manifest = manifest(export, p, written[0], HexFormat.of().formatHex(sha.digest()));
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        put(zip, MANIFEST, manifestBytes, p.createdAt());
        put(zip, SIGNATURE, (Base64.getEncoder().encodeToString(signer.sign(manifestBytes)) + "\n")
                .getBytes(StandardCharsets.US_ASCII), p.createdAt());
        put(zip, PUBLIC_KEY, signer.publicKeyPem().getBytes(StandardCharsets.US_ASCII), p.createdAt());
        zip.finish();
        zip.flush();
        return manifest;
    }

    private Map<String, Object> manifest(ExportMedia export, Provenance p, long bytes, String sha256) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        Map<String, Object> camera = new LinkedHashMap<>();
        camera.put("id", p.cameraId());
        camera.put("name", p.cameraName());
        camera.put("group", p.cameraGroup());
        camera.put("stream", export.key().stream());
        m.put("camera", camera);
        m.put("requested", Map.of("from", p.requestedFrom().toString(), "to", p.requestedTo().toString()));
        m.put("start", export.start().toString());
        m.put("end", export.end().toString());
        m.put("durationSeconds", export.durationSeconds());
        m.put("operator", p.operator());
        m.put("reason", p.reason());
        m.put("createdAt", p.createdAt().toString());
        Map<String, Object> media = new LinkedHashMap<>();
        media.put("file", MEDIA);
        media.put("bytes", bytes);
        media.put("sha256", sha256);
        media.put("codec", export.format().rfc6381());
        media.put("width", export.format().width());
        media.put("height", export.format().height());
        m.put("media", media);
        // the privacy masks burned into the pictures: the version of the camera's masks applied (0 and none burned
        // in: the recorded stream as is)
        Map<String, Object> masks = new LinkedHashMap<>();
        masks.put("version", export.masks().version());
        masks.put("burnedIn", export.masks().masks().stream().map(org.vigie.base.privacy.PrivacyMask::id).toList());
        m.put("privacyMasks", masks);
        m.put("signature", Map.of("algorithm", "Ed25519", "file", SIGNATURE, "publicKey", PUBLIC_KEY,
                "keyFingerprint", signer.fingerprint()));
        return m;
    }

    private static ZipEntry entry(String name, Instant time) {
        ZipEntry e = new ZipEntry(name);
        // the UTC time as the DOS fields, whatever the writer's time zone (CanonicalZip checks it)
        e.setTimeLocal(java.time.LocalDateTime.ofInstant(time, java.time.ZoneOffset.UTC).withNano(0));
        return e;
    }

    private static void put(ZipOutputStream zip, String name, byte[] data, Instant time) throws IOException {
        zip.putNextEntry(entry(name, time));
        zip.write(data);
        zip.closeEntry();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

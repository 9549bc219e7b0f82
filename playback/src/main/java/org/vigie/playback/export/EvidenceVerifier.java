package org.vigie.playback.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks an evidence bundle offline (a {@code .zip} as the server sends it, or the folder it unpacks to): the
 * manifest's Ed25519 signature with the bundle's public key, that key's fingerprint against the manifest (and
 * against the one the checker trusts, when given), and the media's size and SHA-256 against the manifest; a zip
 * must moreover have exactly the canonical layout the server writes ({@link CanonicalZip}), so a single changed
 * byte anywhere in it fails the check (in the media or the manifest, the hash or signature; elsewhere, the layout
 * or an entry's CRC). Stateless.
 */
public final class EvidenceVerifier {

    private EvidenceVerifier() {
    }

    /** The outcome: the manifest (when readable) and every problem found; valid when there is none. */
    public record Result(JsonNode manifest, String keyFingerprint, List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** @param trustedFingerprint the server key fingerprint the checker expects ({@code SHA256:...}), or null */
    public static Result verify(Path bundle, String trustedFingerprint) throws IOException {
        List<String> problems = new ArrayList<>();
        if (Files.isDirectory(bundle)) {
            return check(new Folder(bundle), trustedFingerprint, problems);
        }
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            Result r = check(new Zip(zip), trustedFingerprint, problems);
            if (r.manifest() != null) {
                try {
                    Instant created = Instant.parse(r.manifest().path("createdAt").asText());
                    problems.addAll(CanonicalZip.check(bundle, EvidenceBundle.ENTRIES, created));
                } catch (java.time.format.DateTimeParseException e) {
                    problems.add("the manifest has no valid createdAt");
                }
            }
            return r;
        } catch (ZipException e) {
            problems.add("not a readable bundle: " + e.getMessage());
            return new Result(null, null, problems);
        }
    }

    private interface Entries {
        byte[] read(String name) throws IOException;

        /** SHA-256 and size of an entry, streamed. */
        Object[] digest(String name) throws IOException;
    }

    private record Folder(Path dir) implements Entries {
        public byte[] read(String name) throws IOException {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) throw new IOException("missing " + name);
            return Files.readAllBytes(p);
        }

        public Object[] digest(String name) throws IOException {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) throw new IOException("missing " + name);
            try (InputStream in = Files.newInputStream(p)) {
                return EvidenceVerifier.digest(in);
            }
        }
    }

    private record Zip(ZipFile zip) implements Entries {
        public byte[] read(String name) throws IOException {
            ZipEntry e = zip.getEntry(name);
            if (e == null) throw new IOException("missing " + name);
            try (InputStream in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        }

        public Object[] digest(String name) throws IOException {
            ZipEntry e = zip.getEntry(name);
            if (e == null) throw new IOException("missing " + name);
            try (InputStream in = zip.getInputStream(e)) {
                return EvidenceVerifier.digest(in);
            }
        }
    }

    private static Result check(Entries entries, String trusted, List<String> problems) {
        JsonNode manifest = null;
        String fingerprint = null;
        try {
            byte[] manifestBytes = entries.read(EvidenceBundle.MANIFEST);
            manifest = EvidenceBundle.JSON.readTree(manifestBytes);
            if (!EvidenceBundle.FORMAT.equals(manifest.path("format").asText())) {
                problems.add("unknown manifest format '" + manifest.path("format").asText() + "'");
            }
            PublicKey key = EvidenceSigner.publicKeyFromPem(new String(entries.read(EvidenceBundle.PUBLIC_KEY),
                    StandardCharsets.US_ASCII));
            fingerprint = EvidenceSigner.fingerprint(key);
            if (!fingerprint.equals(manifest.path("signature").path("keyFingerprint").asText())) {
                problems.add("the public key's fingerprint " + fingerprint + " is not the manifest's");
            }
            if (trusted != null && !trusted.equalsIgnoreCase(fingerprint)) {
                problems.add("signed by key " + fingerprint + ", not by the trusted key " + trusted);
            }
            byte[] signature = Base64.getDecoder().decode(new String(entries.read(EvidenceBundle.SIGNATURE),
                    StandardCharsets.US_ASCII).trim());
            if (!EvidenceSigner.verify(key, manifestBytes, signature)) {
                problems.add("the manifest's signature does not verify: the manifest was changed or not signed by this key");
            }
            String file = manifest.path("media").path("file").asText(EvidenceBundle.MEDIA);
            if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
                problems.add("bad media file name '" + file + "'");
                return new Result(manifest, fingerprint, problems);
            }
            Object[] d = entries.digest(file);
            if ((long) d[1] != manifest.path("media").path("bytes").asLong(-1)) {
                problems.add("the media holds " + d[1] + " bytes, the manifest says " + manifest.path("media").path("bytes"));
            }
            if (!d[0].equals(manifest.path("media").path("sha256").asText())) {
                problems.add("the media's SHA-256 " + d[0] + " is not the manifest's: the media was changed");
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            problems.add("cannot check the bundle: " + e.getMessage());
        }
        return new Result(manifest, fingerprint, problems);
    }

    private static Object[] digest(InputStream in) throws IOException {
        MessageDigest sha = EvidenceBundle.sha256();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
            total += n;
        }
        return new Object[] {HexFormat.of().formatHex(sha.digest()), total};
    }
}

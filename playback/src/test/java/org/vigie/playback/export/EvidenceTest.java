package org.vigie.playback.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.ArchiveReader;
import org.vigie.recorder.storage.Catalog;
import org.vigie.recorder.testing.SyntheticArchive;

class EvidenceTest {

    @TempDir
    Path dir;

    @Test
    void theKeyIsCreatedOwnerOnlyOnceThenLoaded() throws Exception {
        EvidenceSigner a = EvidenceSigner.loadOrCreate(dir.resolve("keys"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("keys").resolve(EvidenceSigner.PRIVATE_FILE)))).isEqualTo("rw-------");
        EvidenceSigner b = EvidenceSigner.loadOrCreate(dir.resolve("keys"));
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint()).startsWith("SHA256:");
    }

    @Test
    void aBundleVerifiesAndEveryKindOfTamperingIsFound() throws Exception {
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        Path storage = dir.resolve("storage");
        SyntheticArchive.write(storage, StreamKey.main("cam-1"), t0, Duration.ofSeconds(10),
                new SyntheticArchive.Shape(25, 25, 50, 5, 300), SyntheticArchive.FORMAT);
        Mp4Export export = Mp4Export.plan(new ArchiveReader(Catalog.load(storage)), StreamKey.main("cam-1"),
                t0.plusSeconds(1), t0.plusSeconds(6)).orElseThrow();
        EvidenceSigner signer = EvidenceSigner.loadOrCreate(dir.resolve("keys"));
        Path zip = dir.resolve("b.zip");
        try (OutputStream out = Files.newOutputStream(zip)) {
            new EvidenceBundle(signer).write(export, new EvidenceBundle.Provenance("cam-1", "Capitole", "centre", "sophie",
                    "réquisition 118", t0.plusSeconds(1), t0.plusSeconds(6), t0.plusSeconds(3600)), out);
        }
        EvidenceVerifier.Result ok = EvidenceVerifier.verify(zip, signer.fingerprint());
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.manifest().path("media").path("bytes").asLong()).isEqualTo(export.length());

        EvidenceSigner other = EvidenceSigner.loadOrCreate(dir.resolve("other-keys"));
        assertThat(EvidenceVerifier.verify(zip, other.fingerprint()).problems())
                .anySatisfy(p -> assertThat(p).contains("not by the trusted key"));

        byte[] original = Files.readAllBytes(zip);
        int tampered = 0;
        for (int pos = 0; pos < original.length; pos += 101) { // one byte at a time, all over the zip
            byte[] copy = original.clone();
            copy[pos] ^= 0x40;
            Path z = dir.resolve("t.zip");
            Files.write(z, copy);
            if (!EvidenceVerifier.verify(z, signer.fingerprint()).valid()) tampered++;
        }
        assertThat(tampered).as("changed bytes detected").isEqualTo((original.length + 100) / 101);
    }

    @Test
    void rangeHeadersFollowRfc9110() {
        assertThat(ExportHttpHandler.parseRange("bytes=0-99", 1000)).containsExactly(0, 100);
        assertThat(ExportHttpHandler.parseRange("bytes=900-", 1000)).containsExactly(900, 1000);
        assertThat(ExportHttpHandler.parseRange("bytes=-10", 1000)).containsExactly(990, 1000);
        assertThat(ExportHttpHandler.parseRange("bytes=990-5000", 1000)).containsExactly(990, 1000);
        assertThat(ExportHttpHandler.parseRange("bytes=1000-", 1000)).isNull();
        assertThat(ExportHttpHandler.parseRange("bytes=5-1", 1000)).isNull();
        assertThat(ExportHttpHandler.parseRange("bytes=0-1,5-6", 1000)).isEmpty(); // several: the whole file
        assertThat(ExportHttpHandler.parseRange("items=0-1", 1000)).isEmpty();
    }
}

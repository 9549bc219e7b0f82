package org.vigie.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vigie.playback.export.EvidenceVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vms verify BUNDLE [--key-fingerprint SHA256:...]}: checks an evidence bundle offline (the {@code .zip} the
 * server sends, or the folder it unpacks to): manifest signature, key fingerprint, media size and SHA-256. Prints
 * the manifest's essentials and every problem; exits 0 when the bundle is intact and signed by the trusted key,
 * 1 when it is not intact, 2 when it is intact but no {@code --key-fingerprint} was given ("unverified signer": a
 * bundle signed by the key inside it proves nothing about who signed it), 3 when the file cannot be read.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify an evidence bundle (export.zip or its folder) offline: signature and media hash.")
public final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The evidence bundle: a .zip or a folder.")
    Path bundle;

    @Option(names = "--key-fingerprint", paramLabel = "SHA256:HEX",
            description = "The server key the bundle must be signed by (shown by the server at start and in every manifest).")
    String fingerprint;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(bundle)) {
            System.err.println("vms verify: no such file " + bundle);
            return 3;
        }
        EvidenceVerifier.Result r = EvidenceVerifier.verify(bundle, fingerprint);
        if (r.manifest() != null) {
            var m = r.manifest();
            System.out.println("camera:   " + m.path("camera").path("id").asText() + " (" + m.path("camera").path("name").asText("")
                    + ", " + m.path("camera").path("group").asText("") + ")");
            System.out.println("span:     " + m.path("start").asText() + " - " + m.path("end").asText());
            System.out.println("operator: " + m.path("operator").asText() + ", reason: " + m.path("reason").asText());
            System.out.println("media:    " + m.path("media").path("bytes").asLong() + " bytes, sha256 "
                    + m.path("media").path("sha256").asText());
            System.out.println("key:      " + r.keyFingerprint());
        }
        if (r.valid() && fingerprint == null) {
            System.out.println("verify: UNVERIFIED SIGNER: intact, but signed by the key inside the bundle ("
                    + r.keyFingerprint() + "); pass --key-fingerprint with the server's to verify the signer");
            return 2;
        }
        if (r.valid()) {
            System.out.println("verify: OK (signed by the trusted key)");
            return 0;
        }
        r.problems().forEach(p -> System.out.println("FAILED: " + p));
        System.out.println("verify: FAILED (" + r.problems().size() + " problem(s))");
        return 1;
    }
}

package org.vigie.playback.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The server's Ed25519 evidence key (the JDK's own implementation): generated on first use as
 * {@code <dir>/export-ed25519.key} (PKCS#8, PEM, owner read/write only) and {@code export-ed25519.pub} (X.509
 * SubjectPublicKeyInfo, PEM), then loaded at each start. Its fingerprint is {@code SHA256:<hex>} of the public key's
 * DER encoding. Thread-safe (a {@link Signature} per call).
 */
public final class EvidenceSigner {

    static final String ALGORITHM = "Ed25519";
    static final String PRIVATE_FILE = "export-ed25519.key";
    static final String PUBLIC_FILE = "export-ed25519.pub";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private EvidenceSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Loads the key of {@code dir}, creating it (and the folder) when absent. */
    public static synchronized EvidenceSigner loadOrCreate(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        try {
            KeyFactory kf = KeyFactory.getInstance(ALGORITHM);
            if (!Files.exists(priv)) {
                Files.createDirectories(dir);
                KeyPair kp = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
                Path tmp = dir.resolve(PRIVATE_FILE + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), StandardOpenOption.WRITE);
                Files.writeString(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
                try {
                    Files.move(tmp, priv, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    Files.deleteIfExists(tmp);
                }
            }
            PrivateKey k = kf.generatePrivate(new PKCS8EncodedKeySpec(fromPem(Files.readString(priv))));
            PublicKey p = kf.generatePublic(new X509EncodedKeySpec(fromPem(Files.readString(pub))));
            EvidenceSigner signer = new EvidenceSigner(k, p);
            if (!verify(p, "check".getBytes(StandardCharsets.US_ASCII), signer.sign("check".getBytes(StandardCharsets.US_ASCII)))) {
                throw new IOException("the evidence key pair in " + dir + " does not match");
            }
            return signer;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot load the evidence key of " + dir + ": " + e.getMessage(), e);
        }
    }

    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code data}. */
    public boolean verify(byte[] data, byte[] signature) {
        return verify(publicKey, data, signature);
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    public String fingerprint() {
        return fingerprint(publicKey);
    }

    static String fingerprint(PublicKey key) {
        try {
            return "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static PublicKey publicKeyFromPem(String pem) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(fromPem(pem)));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static byte[] fromPem(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}

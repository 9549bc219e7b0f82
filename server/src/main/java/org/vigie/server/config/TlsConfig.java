package org.vigie.server.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code tls} section: HTTPS on the API port when both PEM files are given, plain HTTP when neither is.
 *
 * @param certificate PEM certificate chain, or null
 * @param privateKey  PEM PKCS#8 private key, or null
 */
public record TlsConfig(Path certificate, Path privateKey) {

    public boolean enabled() {
        return certificate != null;
    }

    static TlsConfig read(ConfigNode n) throws ConfigException {
        String cert = n.string("certificate", "");
        String key = n.string("private-key", "");
        n.finish();
        if (cert.isEmpty() != key.isEmpty()) {
            throw new ConfigException(n.keyPath(cert.isEmpty() ? "certificate" : "private-key"),
                    "is required when " + (cert.isEmpty() ? "private-key" : "certificate") + " is set");
        }
        if (cert.isEmpty()) {
            return new TlsConfig(null, null);
        }
        for (String[] k : new String[][] {{"certificate", cert}, {"private-key", key}}) {
            if (!Files.isReadable(Path.of(k[1]))) {
                throw new ConfigException(n.keyPath(k[0]), "cannot read PEM file " + k[1]);
            }
        }
        return new TlsConfig(Path.of(cert), Path.of(key));
    }
}

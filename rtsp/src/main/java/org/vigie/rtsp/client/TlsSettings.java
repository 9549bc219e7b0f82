package org.vigie.rtsp.client;

import java.nio.file.Path;

/**
 * How an {@code rtsps://} camera's certificate is checked: against the system's trust store (the default), against
 * a per-camera CA file (PEM), or not at all for a camera with a self-signed certificate, which an administrator
 * must ask for explicitly ({@code insecure}). The host name is verified unless {@code insecure}. Immutable.
 *
 * @param caFile   PEM certificates to trust instead of the system store, or null
 * @param insecure true to accept any certificate (self-signed cameras): explicit opt-out, logged
 */
public record TlsSettings(Path caFile, boolean insecure) {

    public static final TlsSettings SYSTEM = new TlsSettings(null, false);

    public TlsSettings {
        if (caFile != null && insecure) {
            throw new IllegalArgumentException("a CA file and insecure are exclusive");
        }
    }
}

package org.vigie.camera;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One media profile of a camera: a video encoder configuration (encoding and resolution) and, once resolved,
 * the RTSP URI that streams it.
 *
 * @param token                  the profile token used in every further request about this profile
 * @param name                   the camera's display name of the profile
 * @param encoding               the video encoding as the camera names it ({@code H264}, {@code H265}, {@code JPEG}), or empty
 * @param width                  picture width in pixels, 0 when the profile has no video encoder
 * @param height                 picture height in pixels, 0 when the profile has no video encoder
 * @param ptzConfigurationToken  the PTZ configuration bound to the profile, or empty when it cannot steer a PTZ head
 * @param streamUri              the RTSP URI (RTP-Unicast over RTSP), or {@code null} until resolved
 */
public record MediaProfile(String token, String name, String encoding, int width, int height,
                           String ptzConfigurationToken, URI streamUri) {

    public MediaProfile {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(ptzConfigurationToken, "ptzConfigurationToken");
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative resolution " + width + "x" + height);
        }
    }

    /** Pixels per picture, used to rank profiles (main stream = most pixels). */
    public long pixels() {
        return (long) width * height;
    }

    public boolean hasVideo() {
        return width > 0 && height > 0;
    }

    public boolean hasPtz() {
        return !ptzConfigurationToken.isEmpty();
    }

    public Optional<URI> stream() {
        return Optional.ofNullable(streamUri);
    }

    public MediaProfile withStreamUri(URI uri) {
        return new MediaProfile(token, name, encoding, width, height, ptzConfigurationToken, uri);
    }
}

package org.vigie.camera.onvif;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a camera's ONVIF services live ({@code GetCapabilities}/{@code GetServices}). Absent services are
 * {@code null} internally and exposed as {@link Optional}.
 */
public record ServiceAddresses(URI device, URI media, URI ptz, URI events, URI imaging) {

    public ServiceAddresses {
        Objects.requireNonNull(device, "device");
    }

    public Optional<URI> mediaService() {
        return Optional.ofNullable(media);
    }

    public Optional<URI> ptzService() {
        return Optional.ofNullable(ptz);
    }

    public Optional<URI> eventService() {
        return Optional.ofNullable(events);
    }
}

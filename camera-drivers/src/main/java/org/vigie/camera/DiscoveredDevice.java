package org.vigie.camera;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A device that answered a WS-Discovery probe. Devices are identified by their endpoint reference (usually
 * {@code urn:uuid:...}), which stays the same when the device changes address.
 *
 * @param endpointReference the stable WS-Addressing endpoint reference of the device
 * @param xAddrs            the device service addresses it announced (may be several: IPv4, IPv6, host name)
 * @param types             the announced types, e.g. {@code dn:NetworkVideoTransmitter}
 * @param scopes            the raw scope URIs, e.g. {@code onvif://www.onvif.org/name/Dome-12}
 * @param name              the URL-decoded {@code onvif://www.onvif.org/name/} scope, or empty
 * @param hardware          the URL-decoded {@code onvif://www.onvif.org/hardware/} scope, or empty
 * @param location          the URL-decoded {@code onvif://www.onvif.org/location/} scope(s), joined by '/', or empty
 */
public record DiscoveredDevice(String endpointReference, List<URI> xAddrs, List<String> types, List<String> scopes,
                               String name, String hardware, String location) {

    public DiscoveredDevice {
        Objects.requireNonNull(endpointReference, "endpointReference");
        xAddrs = List.copyOf(xAddrs);
        types = List.copyOf(types);
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hardware, "hardware");
        Objects.requireNonNull(location, "location");
    }

    /** The first announced device service address, the one a driver connects to. */
    public URI deviceService() {
        if (xAddrs.isEmpty()) {
            throw new IllegalStateException("device " + endpointReference + " announced no XAddrs");
        }
        return xAddrs.get(0);
    }
}

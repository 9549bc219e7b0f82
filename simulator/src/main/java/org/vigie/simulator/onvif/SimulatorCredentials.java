package org.vigie.simulator.onvif;

import java.util.Objects;

/** The single account every simulated camera accepts (WS-UsernameToken digest for SOAP, HTTP Digest for snapshots). */
public record SimulatorCredentials(String username, String password) {

    public SimulatorCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "SimulatorCredentials[" + username + ", password=***]";
    }
}

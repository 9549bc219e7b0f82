package org.vigie.camera;

import java.util.Objects;

/** What a camera says about itself (ONVIF {@code GetDeviceInformation}); absent fields are empty strings. */
public record DeviceInfo(String manufacturer, String model, String firmwareVersion, String serialNumber,
                         String hardwareId) {

    public DeviceInfo {
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(hardwareId, "hardwareId");
    }
}

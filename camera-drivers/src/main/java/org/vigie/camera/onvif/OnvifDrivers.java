package org.vigie.camera.onvif;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.Credentials;

/**
 * Creates {@link OnvifCameraDriver}s that share one HTTP client (one selector thread and connection pool for all
 * cameras), one clock and one request timeout. This is what the server holds: one instance for the whole site.
 * Thread-safe.
 */
public final class OnvifDrivers {

    private final HttpClient http;
    private final InstantSource clock;
    private final Duration requestTimeout;

    public OnvifDrivers(HttpClient http, InstantSource clock, Duration requestTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** Defaults for a city network: 3 s to connect, 5 s per request, system clock. */
    public static OnvifDrivers withDefaults() {
        return new OnvifDrivers(SoapClient.newHttpClient(Duration.ofSeconds(3)), InstantSource.system(),
                Duration.ofSeconds(5));
    }

    /** A driver for the camera, not yet in contact with it. */
    public OnvifCameraDriver driver(String cameraId, URI deviceService, Credentials credentials) {
        return driver(cameraId, deviceService, credentials, false);
    }

    /**
     * A driver for the camera, not yet in contact with it.
     *
     * @param basicOverHttp whether HTTP Basic may be answered over plain HTTP (the camera's configuration only)
     */
    public OnvifCameraDriver driver(String cameraId, URI deviceService, Credentials credentials,
                                    boolean basicOverHttp) {
        return new OnvifCameraDriver(cameraId, deviceService,
                new SoapClient(http, credentials, clock, requestTimeout, basicOverHttp));
    }

    /** A driver whose clock offset is already learnt ({@code GetSystemDateAndTime}), ready for any call. */
    public OnvifCameraDriver connect(String cameraId, URI deviceService, Credentials credentials)
            throws CameraDriverException {
        return connect(cameraId, deviceService, credentials, false);
    }

    /** Same, with Basic over plain HTTP allowed or not (see {@link #driver(String, URI, Credentials, boolean)}). */
    public OnvifCameraDriver connect(String cameraId, URI deviceService, Credentials credentials,
                                     boolean basicOverHttp) throws CameraDriverException {
        OnvifCameraDriver d = driver(cameraId, deviceService, credentials, basicOverHttp);
        d.synchronizeClock();
        return d;
    }
}

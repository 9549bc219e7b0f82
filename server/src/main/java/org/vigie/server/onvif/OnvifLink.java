package org.vigie.server.onvif;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.vigie.base.Backoff;
import org.vigie.camera.CameraStreams;
import org.vigie.camera.MediaProfile;
import org.vigie.camera.onvif.OnvifCameraDriver;
import org.vigie.camera.onvif.PullPointSubscription;
import org.vigie.server.config.CameraConfig;

/**
 * The ONVIF side of one camera, from its configuration to a connected driver, resolved streams and a running event
 * subscription. Created for one {@link CameraConfig}; a changed camera gets a new link and the old one is closed.
 *
 * <p>Thread-confinement: the resolution steps run one at a time (each attempt is scheduled by the end of the
 * previous one), so the fields are written by one thread at a time; they are volatile so that API threads read a
 * consistent-enough view. {@link #closed} is set once, under {@link OnvifCameras}' lock.
 */
final class OnvifLink {

    final CameraConfig config;
    volatile CameraConfig resolved;
    volatile OnvifCameraDriver driver;
    volatile CameraStreams streams;
    volatile PullPointSubscription subscription;
    volatile OnvifCameras.State state = OnvifCameras.State.RESOLVING;
    volatile String error;
    volatile Instant since;
    volatile int attempts;
    final java.util.concurrent.atomic.AtomicLong subscriptionLosses = new java.util.concurrent.atomic.AtomicLong();
    volatile boolean closed;
    volatile ScheduledFuture<?> retry;
    final Backoff backoff;

    OnvifLink(CameraConfig config, Instant now, Backoff backoff) {
        this.config = config;
        this.since = now;
        this.backoff = backoff;
    }

    /** The profile whose PTZ configuration the server steers: the main one, else the sub one if only it has PTZ. */
    String ptzProfile() {
        CameraStreams s = streams;
        MediaProfile p = s.main().hasPtz() || !s.sub().hasPtz() ? s.main() : s.sub();
        return p.token();
    }

    OnvifCameras.Status status() {
        CameraStreams s = streams;
        CameraConfig r = resolved;
        PullPointSubscription sub = subscription;
        return new OnvifCameras.Status(config.id(), config.onvif(), state, error, since, attempts,
                r == null ? null : r.url(), r == null ? null : r.subUrl(),
                s == null ? null : s.main().width() + "x" + s.main().height(),
                s == null || s.sub() == s.main() ? null : s.sub().width() + "x" + s.sub().height(),
                sub != null, sub == null ? 0 : sub.eventsDelivered(), subscriptionLosses.get());
    }
}

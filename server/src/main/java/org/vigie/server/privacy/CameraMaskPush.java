package org.vigie.server.privacy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.base.privacy.CameraMasks;
import org.vigie.base.privacy.MaskSet;
import org.vigie.base.privacy.PrivacyMask;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.onvif.OnvifMasks;
import org.vigie.server.onvif.OnvifCameras;

/**
 * Pushes each ONVIF camera's permanent privacy masks to the camera itself (ONVIF Media2 {@code CreateMask}), so that
 * its video, and so the recording, is masked at the source (issue 14). Liftable masks are never pushed (the
 * recording must keep what a lift may show). The camera's masks are Vigie's to manage: those it holds that Vigie
 * did not ask for are deleted.
 *
 * <p>Each camera has a {@link AtCamera} state, shown with the camera's state: {@code enforced} (the camera holds
 * exactly the permanent masks of the version named), {@code unsupported} (no Media2 masks, or fewer masks or points
 * than needed: the server's own masking still applies on every path out), {@code failed} (with the error; retried),
 * {@code none} (no permanent mask to push). A reconciliation runs every {@link #PERIOD} on a thread of its own and
 * at once after a change ({@link #changed}); it checks that the camera still holds as many masks as pushed (a
 * reset camera gets them again).
 *
 * <p>Thread-safe. Blocking ONVIF calls run on its own thread only.
 */
public final class CameraMaskPush implements AutoCloseable {

    static final Duration PERIOD = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(CameraMaskPush.class);

    /** What a camera enforces itself. */
    public enum State { NONE, ENFORCED, UNSUPPORTED, FAILED }

    /** A camera's state of its own masks. */
    public record AtCamera(State state, long version, int masks, String detail, Instant since) {
    }

    private final OnvifCameras onvif;
    private final CameraMasks masks;
    private final InstantSource clock;
    private final Map<String, AtCamera> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "privacy-masks-push");
        t.setDaemon(true);
        return t;
    });

    public CameraMaskPush(OnvifCameras onvif, CameraMasks masks, InstantSource clock) {
        this.onvif = onvif;
        this.masks = masks;
        this.clock = clock;
    }

    /** Starts the periodic reconciliation. */
    public CameraMaskPush start() {
        thread.scheduleWithFixedDelay(this::reconcileAll, 1000, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The camera's masks changed: reconcile it now (asynchronously). */
    public void changed(String cameraId) {
        thread.execute(() -> reconcile(cameraId));
    }

    /** The camera's state, empty for a camera that is not ONVIF (or not yet reconciled). */
    public Optional<AtCamera> state(String cameraId) {
        return Optional.ofNullable(states.get(cameraId));
    }

    private void reconcileAll() {
        for (OnvifCameras.Status s : onvif.statuses()) {
            reconcile(s.cameraId());
        }
    }

    /** On the push thread. */
    void reconcile(String cameraId) {
        MaskSet set = masks.current(cameraId);
        List<PrivacyMask> permanent = set.masks().stream().filter(m -> m.kind() == PrivacyMask.Kind.PERMANENT)
                .toList();
        AtCamera before = states.get(cameraId);
        try {
            Optional<OnvifCameras.Ready> ready = onvif.ready(cameraId);
            if (ready.isEmpty()) {
                states.remove(cameraId);
                return;
            }
            Optional<OnvifMasks> media2 = ready.get().driver().privacyMasks();
            if (media2.isEmpty()) {
                set(cameraId, State.UNSUPPORTED, set.version(), 0, "no ONVIF Media2 privacy masks", before);
                return;
            }
            String vsc = ready.get().driver().videoSourceConfiguration(ready.get().streams().main().token());
            List<OnvifMasks.CameraMask> held = media2.get().masks(vsc);
            if (before != null && before.version() == set.version() && held.size() == before.masks()
                    && (before.state() == State.ENFORCED || before.state() == State.NONE)) {
                return; // as pushed
            }
            OnvifMasks.Options o = media2.get().options(vsc);
            int maxPoints = permanent.stream().mapToInt(m -> m.polygon().size()).max().orElse(0);
            if (permanent.size() > o.maxMasks() || maxPoints > o.maxPoints() || o.rectangleOnly()) {
                set(cameraId, State.UNSUPPORTED, set.version(), 0, "the camera holds " + o.maxMasks() + " masks of "
                        + o.maxPoints() + " points" + (o.rectangleOnly() ? ", rectangles only" : "") + "; "
                        + permanent.size() + " permanent masks of up to " + maxPoints + " points are needed", before);
                return;
            }
            for (OnvifMasks.CameraMask m : held) {
                media2.get().delete(m.token());
            }
            for (PrivacyMask m : permanent) {
                List<double[]> poly = new ArrayList<>();
                m.polygon().forEach(p -> poly.add(new double[] {p.x(), p.y()}));
                media2.get().create(vsc, poly);
            }
            set(cameraId, permanent.isEmpty() ? State.NONE : State.ENFORCED, set.version(), permanent.size(), null,
                    before);
        } catch (CameraDriverException | RuntimeException e) {
            set(cameraId, State.FAILED, set.version(), 0, e.getMessage(), before);
        }
    }

    private void set(String cameraId, State state, long version, int count, String detail, AtCamera before) {
        boolean same = before != null && before.state() == state && before.version() == version;
        states.put(cameraId, new AtCamera(state, version, count, detail, same ? before.since() : clock.instant()));
        if (!same) {
            LOG.info("privacy masks of {} at the camera: {} (version {}){}", cameraId, state.name().toLowerCase(),
                    version, detail == null ? "" : ": " + detail);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

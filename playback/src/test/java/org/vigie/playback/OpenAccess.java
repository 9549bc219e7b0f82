package org.vigie.playback;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.vigie.base.privacy.MaskSet;

/**
 * Rights for tests of the media paths: user {@code alice} (password {@code pw}) may view every camera, live and
 * archive; nothing is audited; the masks in force are the supplier's.
 */
public final class OpenAccess implements PlaybackAccess {

    /** The one user. */
    public record User(String username) implements Viewer {
    }

    private final Supplier<MaskSet> masks;

    public OpenAccess(Supplier<MaskSet> masks) {
        this.masks = masks;
    }

    @Override
    public Optional<Viewer> authenticate(String authorization) {
        return Optional.empty();
    }

    @Override
    public Optional<Viewer> login(String username, String password, String remote) {
        return username.equals("alice") && password.equals("pw") ? Optional.of(new User("alice")) : Optional.empty();
    }

    @Override
    public Optional<Viewer> current(String username) {
        return Optional.of(new User(username));
    }

    @Override
    public Optional<CameraInfo> camera(String cameraId) {
        return Optional.of(new CameraInfo(cameraId, cameraId, null));
    }

    @Override
    public boolean may(Viewer v, Right right, String cameraId) {
        return true;
    }

    @Override
    public void auditView(Viewer v, String cameraId, boolean archive, Map<String, Object> detail) {
    }

    @Override
    public void auditExport(Viewer v, String cameraId, String reason, Map<String, Object> detail) {
    }

    @Override
    public void auditDenied(Viewer v, String cameraId, Map<String, Object> detail) {
    }

    @Override
    public MaskSet masks(Viewer v, String cameraId, MaskLift lift, Map<String, Object> detail) {
        return masks.get();
    }
}

package org.vigie.server.cluster;

import java.util.Set;
import org.vigie.server.camera.CameraPlacement;

/** The cameras the leader assigned to this node: the camera registry's placement in a cluster. */
public final class AssignedCameras implements CameraPlacement {

    private volatile Set<String> here = Set.of();

    @Override
    public boolean recordsHere(String cameraId) {
        return here.contains(cameraId);
    }

    Set<String> get() {
        return here;
    }

    void set(Set<String> cameras) {
        here = Set.copyOf(cameras);
    }
}

package org.vigie.server.cluster;

import java.util.Set;
import org.vigie.server.camera.CameraPlacement;
import org.vigie.server.camera.CameraRegistry;
import org.vigie.server.config.CameraConfig;

/** The cameras the leader assigned to this node: the camera registry's placement in a cluster. */
public final class AssignedCameras implements CameraPlacement {

    private volatile Set<String> here = Set.of();

    @Override
    public boolean recordsHere(String cameraId) {
        return here.contains(cameraId);
    }

    /**
     * {@code observer} told only of the cameras recorded here: a camera put while assigned elsewhere is, for it, a
     * camera removed (the capacity estimate counts what this node records, not the whole cluster).
     */
    public CameraRegistry.Observer onlyRecordedHere(CameraRegistry.Observer observer) {
        return new CameraRegistry.Observer() {
            @Override
            public void put(CameraConfig config) {
                if (recordsHere(config.id())) observer.put(config); else observer.removed(config.id());
            }

            @Override
            public void removed(String id) {
                observer.removed(id);
            }
        };
    }

    Set<String> get() {
        return here;
    }

    void set(Set<String> cameras) {
        here = Set.copyOf(cameras);
    }
}

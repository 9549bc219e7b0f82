package org.vigie.recorder.retention;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.media.StreamKey;
import org.vigie.recorder.storage.StorageVolumes;

/**
 * The configured volumes: each new segment goes to the volume with most room (usable bytes minus its target free
 * space) at the time the segment starts, so a full volume stops receiving new segments while another has room.
 * A volume that cannot be measured is chosen last. Thread-safe (stateless apart from the immutable list).
 */
public final class VolumeSet implements StorageVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeSet.class);

    private final List<StorageVolume> volumes;
    private final List<Path> roots;
    private final FreeSpace freeSpace;

    public VolumeSet(List<StorageVolume> volumes, FreeSpace freeSpace) {
        if (volumes.isEmpty()) {
            throw new IllegalArgumentException("no storage volume");
        }
        this.volumes = List.copyOf(volumes);
        this.freeSpace = freeSpace;
        List<Path> r = new ArrayList<>();
        for (StorageVolume v : volumes) {
            r.add(v.path());
        }
        if (new HashSet<>(r).size() != r.size()) {
            throw new IllegalArgumentException("duplicate storage volume in " + r);
        }
        for (Path a : r) {
            for (Path b : r) {
                if (a != b && a.startsWith(b)) {
                    throw new IllegalArgumentException("volume " + a + " is inside volume " + b);
                }
            }
        }
        this.roots = List.copyOf(r);
    }

    @Override
    public List<Path> roots() {
        return roots;
    }

    public List<StorageVolume> volumes() {
        return volumes;
    }

    @Override
    public Path forNewSegment(StreamKey key) {
        if (volumes.size() == 1) {
            return roots.get(0);
        }
        VolumeStatus best = null;
        for (StorageVolume v : volumes) {
            VolumeStatus s = status(v);
            if (best == null || s.roomBytes() > best.roomBytes()) {
                best = s;
            }
        }
        return best.path();
    }

    /** Measures every volume now. */
    public List<VolumeStatus> status() {
        List<VolumeStatus> out = new ArrayList<>(volumes.size());
        for (StorageVolume v : volumes) {
            out.add(status(v));
        }
        return out;
    }

    VolumeStatus status(StorageVolume v) {
        try {
            long total = freeSpace.totalBytes(v.path());
            return new VolumeStatus(v.path(), freeSpace.usableBytes(v.path()), total, v.targetFreeBytes(total));
        } catch (IOException | RuntimeException e) {
            LOG.warn("volume {}: cannot measure free space: {}", v.path(), e.toString());
            return new VolumeStatus(v.path(), -1, -1, v.minFreeBytes());
        }
    }
}

package org.vigie.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cameras an RTSP server serves, and its live sessions indexed by session id and by SSRC (to credit incoming
 * RTCP receiver reports). Thread-safe: the camera map is immutable, the indexes are concurrent maps.
 *
 * <p>Invariant: a session is in the indexes exactly while it is in its camera's session list; closing a session
 * ({@link #unregister}) removes it from both.
 */
final class ServedCameras {

    private final Map<String, SimulatedCamera> cameras;
    private final H264Clip clip;
    private final Map<String, RtspSession> sessionsById = new ConcurrentHashMap<>();
    private final Map<Integer, RtspSession> sessionsBySsrc = new ConcurrentHashMap<>();

    ServedCameras(List<SimulatedCamera> cameras, H264Clip clip) {
        Map<String, SimulatedCamera> m = new LinkedHashMap<>();
        for (SimulatedCamera c : cameras) {
            if (m.put(c.id(), c) != null) {
                throw new IllegalArgumentException("duplicate camera id " + c.id());
            }
        }
        this.cameras = Collections.unmodifiableMap(m);
        this.clip = clip;
    }

    H264Clip clip() {
        return clip;
    }

    /** The camera with this id, or null. */
    SimulatedCamera camera(String id) {
        return id == null ? null : cameras.get(id);
    }

    List<SimulatedCamera> cameras() {
        return List.copyOf(cameras.values());
    }

    /** Registers a session with its camera; false when the camera is stopped. */
    boolean register(RtspSession session) {
        if (!session.camera().add(session)) {
            return false;
        }
        sessionsById.put(session.id(), session);
        sessionsBySsrc.put(session.rtp().ssrc(), session);
        return true;
    }

    void unregister(RtspSession session) {
        session.camera().remove(session);
        forget(session);
    }

    /** Drops the indexes of a session already removed from its camera. */
    void forget(RtspSession session) {
        sessionsById.remove(session.id(), session);
        sessionsBySsrc.remove(session.rtp().ssrc(), session);
    }

    RtspSession session(String id) {
        return id == null ? null : sessionsById.get(id);
    }

    RtspSession sessionBySsrc(int ssrc) {
        return sessionsBySsrc.get(ssrc);
    }

    /** Stops a camera and closes the RTSP connections of its sessions; the ids of the closed sessions. */
    List<String> stop(SimulatedCamera camera) {
        List<String> ids = new ArrayList<>();
        for (RtspSession s : camera.stop()) {
            forget(s);
            ids.add(s.id());
            s.controlChannel().close();
        }
        return ids;
    }
}

package org.vigie.simulator;

/**
 * A snapshot of one simulated camera's counters, over its current sessions.
 *
 * @param framesDropped frames not sent because a client was not reading fast enough (including the frames skipped
 *                      while waiting for the next IDR to resume it)
 */
public record CameraStats(String cameraId, boolean running, int sessions, int playingSessions, long framesSent,
                          long framesDropped) {
}

package org.vigie.playback;

/**
 * A camera as playback needs to know it: its id, and the display name and group an evidence manifest records.
 *
 * @param name  the display name, or null
 * @param group the camera group (a district), or null
 */
public record CameraInfo(String id, String name, String group) {
}

package org.vigie.playback;

/**
 * Someone watching or exporting video, as the server's {@link PlaybackAccess} authenticated them. Playback only
 * names them (logs, audit details) and hands them back to the access port, which alone knows their rights.
 */
public interface Viewer {

    String username();
}

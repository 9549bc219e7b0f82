package org.vigie.playback;

/** What a viewer asks to do with a camera; each is a per-camera right of the server's users. */
public enum Right {
    /** Watch live video (WebSocket live channel, RTSP {@code /live}, live snapshot). */
    LIVE_VIEW,
    /** Watch recordings (WebSocket archive channel, RTSP {@code /archive}, snapshot at a time). */
    ARCHIVE_VIEW,
    /** Export recordings (MP4, evidence bundle), with a mandatory reason. */
    EXPORT;

    /** The right to watch live ({@code archive} false) or recorded video. */
    public static Right view(boolean archive) {
        return archive ? ARCHIVE_VIEW : LIVE_VIEW;
    }

    /** The name the server's users and messages know it by ({@code live_view}, ...). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

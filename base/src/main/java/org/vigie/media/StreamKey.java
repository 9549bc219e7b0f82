package org.vigie.media;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one recorded stream: a camera and one of its streams ({@code main} or {@code sub}). Both parts are safe
 * file names (they become folders of the storage path).
 */
public record StreamKey(String cameraId, String stream) {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static final String MAIN = "main";
    public static final String SUB = "sub";

    public StreamKey {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(stream, "stream");
        if (!isSafeName(cameraId)) {
            throw new IllegalArgumentException("camera id must match " + SAFE.pattern() + ": " + cameraId);
        }
        if (!isSafeName(stream)) {
            throw new IllegalArgumentException("stream name must match " + SAFE.pattern() + ": " + stream);
        }
    }

    public static StreamKey main(String cameraId) {
        return new StreamKey(cameraId, MAIN);
    }

    /** True when the name is usable as a camera id or stream name (letters, digits, '.', '_', '-'; 1-64 chars). */
    public static boolean isSafeName(String name) {
        return name != null && SAFE.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    @Override
    public String toString() {
        return cameraId + "/" + stream;
    }
}

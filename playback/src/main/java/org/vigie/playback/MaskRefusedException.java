package org.vigie.playback;

/**
 * A lift of privacy masks the server refuses (403): the viewer lacks the camera's {@code unmask} right, or gave no
 * reason. The message says which, for the client. The refusal is already audited when this is thrown.
 */
public final class MaskRefusedException extends Exception {

    public MaskRefusedException(String message) {
        super(message, null, false, false);
    }

    /** The HTTP-like status of the refusal. */
    public int status() {
        return 403;
    }
}

package org.vigie.playback.ws;

/** A channel the server will not open: an HTTP-like status (403, 404, 400, 503) and a message for the client. */
public final class ChannelRefusedException extends Exception {

    private final int status;

    public ChannelRefusedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

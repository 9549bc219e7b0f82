package org.vigie.recorder.mp4;

import java.io.IOException;

/** Thrown when bytes that should hold an ISO BMFF structure do not: a bad size, a truncated box, a missing child. */
public final class MalformedMp4Exception extends IOException {

    private static final long serialVersionUID = 1L;

    public MalformedMp4Exception(String message) {
        super(message);
    }
}

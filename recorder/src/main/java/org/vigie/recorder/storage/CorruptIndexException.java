package org.vigie.recorder.storage;

import java.io.IOException;

/** A time index that breaks its invariants (see {@link TimeIndex#sanityCheck}). */
public final class CorruptIndexException extends IOException {

    private static final long serialVersionUID = 1L;

    public CorruptIndexException(String message) {
        super(message);
    }
}

package org.vigie.server.retention;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import org.vigie.server.store.HoldStore;
import org.vigie.server.store.RegisterStore;

/** Opens {@link RetentionService}'s package-private journal import to the store's tests. */
public final class RetentionServiceAccess {

    private RetentionServiceAccess() {
    }

    public static void importJournals(Path primary, InstantSource clock, HoldStore holds, RegisterStore register)
            throws IOException {
        RetentionService.importJournals(primary, clock, holds, register);
    }
}

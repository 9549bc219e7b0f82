package org.vigie.server.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether the server is healthy: its HTTP listener is open, its database answers and its storage folder is
 * writable. Feeds {@code /healthz} and the systemd watchdog (which is fed only while healthy, so that systemd
 * restarts a server that is up but useless). Thread-safe; cheap (no disk write), but it touches the database:
 * do not call it from an event loop.
 */
public final class HealthCheck {

    private final BooleanSupplier httpOpen;
    private final BooleanSupplier databaseAnswers;
    private final Path storage;

    public HealthCheck(BooleanSupplier httpOpen, BooleanSupplier databaseAnswers, Path storage) {
        this.httpOpen = httpOpen;
        this.databaseAnswers = databaseAnswers;
        this.storage = storage;
    }

    /** The outcome: healthy when {@code problems} is empty. */
    public record Health(List<String> problems) {
        public boolean healthy() {
            return problems.isEmpty();
        }
    }

    public Health check() {
        List<String> p = new ArrayList<>();
        if (!httpOpen.getAsBoolean()) p.add("HTTP listener closed");
        if (!databaseAnswers.getAsBoolean()) p.add("database does not answer");
        if (!Files.isDirectory(storage) || !Files.isWritable(storage)) p.add("storage folder not writable");
        return new Health(List.copyOf(p));
    }
}

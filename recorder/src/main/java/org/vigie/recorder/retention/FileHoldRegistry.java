package org.vigie.recorder.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A {@link HoldRegistry} kept in an append-only JSON-lines journal (one line per create, extend or release,
 * fsynced before the call returns) and replayed in memory at start-up. A release line names when it takes effect
 * ({@code effective}; lines written before release grace existed take effect at once). A line torn by a crash (no final newline)
 * is cut off at load: that change had not been acknowledged.
 *
 * <p>Thread-safe (every method is synchronized); the file belongs to one process.
 */
public final class FileHoldRegistry implements HoldRegistry {

    private final Path file;
    private final InstantSource clock;
    private final Map<String, LegalHold> holds = new LinkedHashMap<>();
    private int lastNumber;

    private FileHoldRegistry(Path file, InstantSource clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Opens (creating if needed) the journal and replays it. */
    public static FileHoldRegistry open(Path file, InstantSource clock) throws IOException {
        FileHoldRegistry r = new FileHoldRegistry(file, clock);
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.exists(file)) {
            for (String line : JsonLines.readAndRepair(file)) {
                r.apply(Json.parse(line));
            }
        }
        return r;
    }

    @Override
    public synchronized List<LegalHold> all() {
        return List.copyOf(holds.values());
    }

    @Override
    public synchronized Optional<LegalHold> get(String id) {
        return Optional.ofNullable(holds.get(id));
    }

    @Override
    public synchronized LegalHold create(String cameraId, Instant from, Instant to, String caseNumber, String reason,
                                         Instant expires, String createdBy) throws IOException {
        Instant now = clock.instant();
        if (!expires.isAfter(now)) {
            throw new IllegalArgumentException("hold expiry must be in the future: " + expires);
        }
        for (Instant t : new Instant[] {from, to, expires}) {
            org.vigie.base.InstantBounds.check(t);
        }
        LegalHold h = new LegalHold(String.format("H%06d", lastNumber + 1), cameraId, from, to, caseNumber, reason,
                expires, createdBy, now, null, null, null);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("op", "create");
        e.put("id", h.id());
        e.put("camera", cameraId);
        e.put("from", from.toString());
        e.put("to", to.toString());
        e.put("case", caseNumber);
        e.put("reason", reason);
        e.put("expires", expires.toString());
        e.put("by", createdBy);
        e.put("at", now.toString());
        append(e);
        return holds.get(h.id());
    }

    @Override
    public synchronized LegalHold extend(String id, Instant newExpiry, String by) throws IOException {
        LegalHold h = activeHold(id);
        LegalHold.requireText("by", by, 128);
        if (h.released()) {
            throw new IllegalStateException("legal hold " + id + " was released (effective " + h.releaseEffective()
                    + "): create a new hold instead");
        }
        if (!newExpiry.isAfter(h.expires())) {
            throw new IllegalArgumentException("an extension moves the expiry later than " + h.expires());
        }
        org.vigie.base.InstantBounds.check(newExpiry);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("op", "extend");
        e.put("id", id);
        e.put("expires", newExpiry.toString());
        e.put("by", by);
        e.put("at", clock.instant().toString());
        append(e);
        return holds.get(id);
    }

    @Override
    public synchronized LegalHold release(String id, String by, java.time.Duration grace) throws IOException {
        LegalHold h = activeHold(id);
        LegalHold.requireText("by", by, 128);
        if (grace.isNegative()) {
            throw new IllegalArgumentException("negative release grace: " + grace);
        }
        if (h.released()) {
            throw new IllegalStateException("legal hold " + id + " is already released (effective "
                    + h.releaseEffective() + ")");
        }
        Instant now = clock.instant();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("op", "release");
        e.put("id", id);
        e.put("by", by);
        e.put("at", now.toString());
        e.put("effective", now.plus(grace).toString());
        append(e);
        return holds.get(id);
    }

    private LegalHold activeHold(String id) {
        LegalHold h = holds.get(id);
        if (h == null) {
            throw new NoSuchElementException("no legal hold " + id);
        }
        if (!h.active(clock.instant())) {
            throw new IllegalStateException("legal hold " + id + " is no longer active");
        }
        return h;
    }

    /** Validates by applying first, then writes: a refused change leaves no line behind. */
    private void append(Map<String, Object> event) throws IOException {
        Map<String, LegalHold> before = new LinkedHashMap<>(holds);
        int number = lastNumber;
        apply(event);
        try {
            JsonLines.append(file, Json.encode(event));
        } catch (IOException | RuntimeException e) {
            holds.clear();
            holds.putAll(before);
            lastNumber = number;
            throw e;
        }
    }

    private void apply(Map<String, Object> e) {
        String id = (String) e.get("id");
        switch (String.valueOf(e.get("op"))) {
            case "create" -> {
                holds.put(id, new LegalHold(id, (String) e.get("camera"), Instant.parse((String) e.get("from")),
                        Instant.parse((String) e.get("to")), (String) e.get("case"), (String) e.get("reason"),
                        Instant.parse((String) e.get("expires")), (String) e.get("by"),
                        Instant.parse((String) e.get("at")), null, null, null));
                if (id.matches("H\\d+")) {
                    lastNumber = Math.max(lastNumber, Integer.parseInt(id.substring(1)));
                }
            }
            case "extend" -> holds.put(id, require(id).extended(Instant.parse((String) e.get("expires"))));
            case "release" -> {
                Instant at = Instant.parse((String) e.get("at"));
                Object effective = e.get("effective"); // absent from journals written before release grace
                holds.put(id, require(id).released(at, (String) e.get("by"),
                        effective == null ? at : Instant.parse((String) effective)));
            }
            default -> throw new IllegalArgumentException("unknown hold journal operation: " + e);
        }
    }

    private LegalHold require(String id) {
        LegalHold h = holds.get(id);
        if (h == null) {
            throw new IllegalArgumentException("hold journal refers to unknown hold " + id);
        }
        return h;
    }

    /** Where the journal lives by default: {@code <primary volume>/.retention/legal-holds.jsonl}. */
    public static Path defaultFile(Path primaryVolume) {
        return primaryVolume.resolve(".retention").resolve("legal-holds.jsonl");
    }
}

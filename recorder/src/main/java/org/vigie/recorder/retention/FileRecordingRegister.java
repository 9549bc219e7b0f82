package org.vigie.recorder.retention;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.vigie.recorder.storage.DeletionListener;
import org.vigie.recorder.storage.DeletionMark;

/**
 * A {@link RecordingRegister} in files: one JSON-lines file per UTC day of the event, {@code <dir>/register-YYYY-MM-DD.jsonl},
 * each line fsynced before the call returns (see {@link JsonLines}); a query reads only the days it spans.
 *
 * <p>As the {@link DeletionListener} of the recorder it hears of each destroyed batch at least once (again after a
 * crash between the unlinks and the removal of the deletion mark): entries are unique by id, and
 * {@link #query} drops repeats, so each destruction is listed exactly once.
 *
 * <p>Thread-safe: appends are serialised; queries read the files.
 */
public final class FileRecordingRegister implements RecordingRegister {

    private static final String PREFIX = "register-";
    private static final String SUFFIX = ".jsonl";

    private final Path dir;
    private final InstantSource clock;
    /** Ids of the export windows written lately (bounded: older ones are dropped by {@link #query} if repeated). */
    private final Set<String> recentExports = java.util.Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            });

    public FileRecordingRegister(Path dir, InstantSource clock) throws IOException {
        this.dir = dir;
        this.clock = clock;
        Files.createDirectories(dir);
    }

    /** Where the register lives by default: {@code <primary volume>/.retention/register/}. */
    public static Path defaultDir(Path primaryVolume) {
        return primaryVolume.resolve(".retention").resolve("register");
    }

    @Override
    public void destroyed(DeletionMark mark) throws IOException {
        append(new RegisterEntry(mark.id(), RegisterEntry.Kind.DESTRUCTION, mark.at(), mark.key().cameraId(),
                mark.key().stream(), micros(mark.startMicros()), micros(mark.endMicros()), mark.cause(), SYSTEM, null,
                null, mark.segments().size(), mark.bytes()));
    }

    @Override
    public RegisterEntry recordExport(RegisterEntry.Kind kind, String cameraId, String stream, Instant from,
                                      Instant to, String actor, String recipient, String caseNumber, long bytes)
            throws IOException {
        if (kind == RegisterEntry.Kind.DESTRUCTION) {
            throw new IllegalArgumentException("destructions are recorded by the deleter");
        }
        Instant now = clock.instant();
        String id = RecordingRegister.exportId(kind, cameraId, stream, from, to, actor, recipient, caseNumber, now);
        RegisterEntry e = new RegisterEntry(id, kind, now, cameraId, stream, from, to, null, actor, recipient,
                caseNumber, 0, bytes);
        synchronized (this) {
            if (!recentExports.add(id)) {
                return e;
            }
            try {
                append(e);
            } catch (IOException | RuntimeException x) {
                recentExports.remove(id);
                throw x;
            }
        }
        return e;
    }

    private synchronized void append(RegisterEntry e) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("kind", e.kind().name().toLowerCase());
        m.put("at", e.at().toString());
        m.put("camera", e.cameraId());
        m.put("stream", e.stream());
        m.put("from", e.from().toString());
        m.put("to", e.to().toString());
        m.put("cause", e.cause());
        m.put("actor", e.actor());
        m.put("recipient", e.recipient());
        m.put("case", e.caseNumber());
        m.put("segments", e.segments());
        m.put("bytes", e.bytes());
        JsonLines.append(fileOf(LocalDate.ofInstant(e.at(), ZoneOffset.UTC)), Json.encode(m));
    }

    @Override
    public List<RegisterEntry> query(Instant from, Instant to, String cameraId, RegisterEntry.Kind kind, int limit)
            throws IOException {
        TreeMap<LocalDate, Path> days = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                try {
                    days.put(LocalDate.parse(n.substring(PREFIX.length(), n.length() - SUFFIX.length())), p);
                } catch (RuntimeException ignored) {
                    // not one of ours
                }
            }
        }
        LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
        List<RegisterEntry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Path p : days.subMap(first, true, last, true).values()) {
            List<RegisterEntry> day = new ArrayList<>();
            for (String line : readLines(p)) {
                RegisterEntry e = parse(Json.parse(line));
                if (!e.at().isBefore(from) && e.at().isBefore(to) && (cameraId == null || cameraId.equals(e.cameraId()))
                        && (kind == null || kind == e.kind()) && seen.add(e.id())) {
                    day.add(e);
                }
            }
            day.sort(Comparator.comparing(RegisterEntry::at).thenComparing(RegisterEntry::id));
            for (RegisterEntry e : day) {
                if (out.size() >= limit) {
                    return out;
                }
                out.add(e);
            }
        }
        return out;
    }

    private synchronized List<String> readLines(Path p) throws IOException {
        return JsonLines.readAndRepair(p);
    }

    private Path fileOf(LocalDate day) {
        return dir.resolve(PREFIX + day + SUFFIX);
    }

    private static RegisterEntry parse(Map<String, Object> m) {
        return new RegisterEntry((String) m.get("id"),
                RegisterEntry.Kind.valueOf(((String) m.get("kind")).toUpperCase()),
                Instant.parse((String) m.get("at")), (String) m.get("camera"), (String) m.get("stream"),
                Instant.parse((String) m.get("from")), Instant.parse((String) m.get("to")), (String) m.get("cause"),
                (String) m.get("actor"), (String) m.get("recipient"), (String) m.get("case"),
                (Long) m.get("segments"), (Long) m.get("bytes"));
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}

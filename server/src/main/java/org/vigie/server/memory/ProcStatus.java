package org.vigie.server.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A {@code kB} field of a Linux process's {@code /proc/<pid>/status} (VmRSS, VmHWM, Threads...) or
 * {@code smaps_rollup} (Pss): how the server reports its own resident memory and how the benches sample it.
 */
public final class ProcStatus {

    private ProcStatus() {
    }

    /**
     * The field's value as written (kB for the memory fields, a count for Threads), or 0 when the process or the
     * field does not exist.
     *
     * @param pid  a process id, or {@code "self"}
     * @param file {@code status} or {@code smaps_rollup}
     */
    public static long field(String pid, String file, String field) throws IOException {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, file))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return 0;
    }

    /** This process's resident set size in bytes (VmRSS), or -1 when it cannot be read (not Linux). */
    public static long selfResidentBytes() {
        try {
            long kb = field("self", "status", "VmRSS");
            return kb > 0 ? kb * 1024 : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

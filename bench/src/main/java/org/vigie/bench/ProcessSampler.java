package org.vigie.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Reads a Linux process's CPU time and memory from {@code /proc}: the load harness's only instrument, so that the
 * server and its baseline are measured the same way.
 */
public final class ProcessSampler {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on every Linux ABI in use). */
    static final long USER_HZ = 100;

    private ProcessSampler() {
    }

    /** User + system CPU time of the process, in seconds (children not included). */
    public static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / (double) USER_HZ;
    }

    public static double cpuSeconds(Collection<Long> pids) throws IOException {
        double s = 0;
        for (long p : pids) s += cpuSeconds(p);
        return s;
    }

    /** A {@code kB} field of {@code /proc/<pid>/status} (VmRSS, VmHWM, Threads...) or smaps_rollup (Pss). */
    public static long kiloBytes(long pid, String file, String field) throws IOException {
        return org.vigie.server.memory.ProcStatus.field(String.valueOf(pid), file, field);
    }

    /** Resident set size in bytes. */
    public static long rssBytes(long pid) throws IOException {
        return kiloBytes(pid, "status", "VmRSS") * 1024;
    }

    /** Proportional set size in bytes (shared pages divided among their users: fair for many small processes). */
    public static long pssBytes(long pid) throws IOException {
        return kiloBytes(pid, "smaps_rollup", "Pss") * 1024;
    }

    public static long threads(long pid) throws IOException {
        return kiloBytes(pid, "status", "Threads");
    }
}

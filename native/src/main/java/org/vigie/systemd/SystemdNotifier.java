package org.vigie.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sd_notify} without libsystemd: sends "READY=1", "STATUS=...", "WATCHDOG=1", "STOPPING=1" as datagrams to
 * systemd's notification socket ({@code NOTIFY_SOCKET}: a path, or an abstract socket written {@code @name}),
 * through JNA calls to libc {@code socket}/{@code sendto}. A no-op when there is no socket (not started by
 * systemd, or not {@code Type=notify}).
 *
 * <p>Thread-safe: every message opens, uses and closes its own socket (a few µs; messages are rare: the watchdog
 * is fed every few seconds). Sending never throws: a failure is logged and reported as {@code false}, because
 * notification problems must not take the server down.
 */
public final class SystemdNotifier {

    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private final byte[] address;
    private final int addressLength;
    private final String socketName;
    private final Duration watchdogInterval;

    /**
     * @param notifySocket     the value of NOTIFY_SOCKET (absolute path or {@code @abstract}), or null for a no-op
     * @param watchdogInterval the watchdog period systemd asked for (WATCHDOG_USEC), or null when none
     */
    public SystemdNotifier(String notifySocket, Duration watchdogInterval) {
        this.watchdogInterval = watchdogInterval;
        if (notifySocket == null || notifySocket.isEmpty()) {
            this.address = null;
            this.addressLength = 0;
            this.socketName = null;
            return;
        }
        if (!notifySocket.startsWith("/") && !notifySocket.startsWith("@")) {
            throw new IllegalArgumentException("NOTIFY_SOCKET must be an absolute path or @abstract: "
                    + notifySocket);
        }
        this.socketName = notifySocket;
        this.address = new byte[LibC.SOCKADDR_UN_SIZE];
        this.addressLength = fillSockaddrUn(address, notifySocket);
    }

    /** Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the process environment. */
    public static SystemdNotifier fromEnvironment() {
        Map<String, String> env = System.getenv();
        return new SystemdNotifier(env.get("NOTIFY_SOCKET"),
                parseWatchdog(env.get("WATCHDOG_USEC"), env.get("WATCHDOG_PID"), ProcessHandle.current().pid())
                        .orElse(null));
    }

    /**
     * The watchdog interval from WATCHDOG_USEC, if it is meant for this process (WATCHDOG_PID unset or equal to
     * {@code pid}); empty otherwise or when malformed.
     */
    public static Optional<Duration> parseWatchdog(String usec, String watchdogPid, long pid) {
        if (usec == null || usec.isBlank()) {
            return Optional.empty();
        }
        try {
            if (watchdogPid != null && !watchdogPid.isBlank() && Long.parseLong(watchdogPid.trim()) != pid) {
                return Optional.empty();
            }
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Fills a struct sockaddr_un; returns the address length to pass to sendto/bind. Package-private for tests. */
    static int fillSockaddrUn(byte[] sockaddr, String name) {
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (path.length > LibC.SOCKADDR_UN_SIZE - 2 - (abstractName ? 0 : 1)) {
            throw new IllegalArgumentException("socket name too long: " + name);
        }
        java.util.Arrays.fill(sockaddr, (byte) 0);
        // sa_family_t in host byte order (little-endian on x86-64/arm64)
        sockaddr[0] = (byte) LibC.AF_UNIX;
        sockaddr[1] = 0;
        System.arraycopy(path, 0, sockaddr, 2, path.length);
        if (abstractName) {
            sockaddr[2] = 0; // abstract namespace: leading NUL, no terminator, length counts the name exactly
            return 2 + path.length;
        }
        return 2 + path.length + 1;
    }

    /** True when a notification socket is configured. */
    public boolean enabled() {
        return address != null;
    }

    /** The period at which {@link #watchdog()} must be called (systemd recommends half of it), if any. */
    public Optional<Duration> watchdogInterval() {
        return Optional.ofNullable(watchdogInterval);
    }

    public boolean ready() {
        return send("READY=1");
    }

    public boolean status(String text) {
        return send("STATUS=" + text.replace('\n', ' '));
    }

    public boolean watchdog() {
        return send("WATCHDOG=1");
    }

    public boolean stopping() {
        return send("STOPPING=1");
    }

    /**
     * Sends one datagram of newline-separated assignments. Returns true when sent, false when disabled or failed.
     */
    public boolean send(String state) {
        if (address == null) {
            return false;
        }
        byte[] payload = state.getBytes(StandardCharsets.UTF_8);
        int fd = -1;
        try {
            fd = LibC.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                log.warn("sd_notify: socket() failed, errno {}", Native.getLastError());
                return false;
            }
            long sent = LibC.INSTANCE.sendto(fd, payload, payload.length, LibC.MSG_NOSIGNAL, address,
                    addressLength);
            if (sent != payload.length) {
                log.warn("sd_notify to {}: sendto() returned {}, errno {}", socketName, sent, Native.getLastError());
                return false;
            }
            return true;
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            log.warn("sd_notify to {} failed", socketName, e);
            return false;
        } finally {
            if (fd >= 0) {
                LibC.INSTANCE.close(fd);
            }
        }
    }

    @Override
    public String toString() {
        return "SystemdNotifier[" + (socketName == null ? "disabled" : socketName)
                + (watchdogInterval == null ? "" : " watchdog=" + watchdogInterval) + "]";
    }
}

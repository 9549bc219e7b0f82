package org.vigie.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sends notifications to a real AF_UNIX datagram socket bound (through JNA) by the test, as systemd would. */
class SystemdNotifierTest {

    @TempDir
    Path dir;

    /** A receiving AF_UNIX SOCK_DGRAM socket, like systemd's notify socket. */
    static final class Receiver implements AutoCloseable {
        final int fd;

        Receiver(String name) {
            fd = LibC.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            assertThat(fd).isNotNegative();
            byte[] addr = new byte[LibC.SOCKADDR_UN_SIZE];
            int len = SystemdNotifier.fillSockaddrUn(addr, name);
            assertThat(LibC.INSTANCE.bind(fd, addr, len)).as("bind errno " + Native.getLastError()).isZero();
            long[] timeval = {2, 0}; // 2 s receive timeout: a missing datagram fails instead of hanging
            assertThat(LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval, 16)).isZero();
        }

        String receive() {
            byte[] buf = new byte[4096];
            long n = LibC.INSTANCE.recv(fd, buf, buf.length, 0);
            assertThat(n).as("datagram received (errno " + Native.getLastError() + ")").isPositive();
            return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            LibC.INSTANCE.close(fd);
        }
    }

    @Test
    void sendsEachMessageAsOneDatagramToAPathSocket() {
        String path = dir.resolve("notify.sock").toString();
        try (Receiver r = new Receiver(path)) {
            SystemdNotifier n = new SystemdNotifier(path, null);
            assertThat(n.enabled()).isTrue();
            assertThat(n.ready()).isTrue();
            assertThat(n.status("recording 1200 cameras\nbad")).isTrue();
            assertThat(n.watchdog()).isTrue();
            assertThat(n.stopping()).isTrue();
            assertThat(r.receive()).isEqualTo("READY=1");
            assertThat(r.receive()).isEqualTo("STATUS=recording 1200 cameras bad");
            assertThat(r.receive()).isEqualTo("WATCHDOG=1");
            assertThat(r.receive()).isEqualTo("STOPPING=1");
        }
    }

    @Test
    void supportsAbstractSockets() {
        String name = "@vigie-test-" + UUID.randomUUID();
        try (Receiver r = new Receiver(name)) {
            SystemdNotifier n = new SystemdNotifier(name, null);
            assertThat(n.ready()).isTrue();
            assertThat(r.receive()).isEqualTo("READY=1");
        }
    }

    @Test
    void isANoOpWithoutSocket() {
        SystemdNotifier n = new SystemdNotifier(null, null);
        assertThat(n.enabled()).isFalse();
        assertThat(n.ready()).isFalse();
        assertThat(n.watchdogInterval()).isEmpty();
    }

    @Test
    void reportsFailureWhenNobodyListens() {
        SystemdNotifier n = new SystemdNotifier(dir.resolve("absent.sock").toString(), null);
        assertThat(n.ready()).isFalse();
    }

    @Test
    void rejectsRelativeSocketNames() {
        assertThatThrownBy(() -> new SystemdNotifier("relative.sock", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void watchdogIntervalComesFromWatchdogUsecForThisPidOnly() {
        assertThat(SystemdNotifier.parseWatchdog("20000000", null, 42)).contains(Duration.ofSeconds(20));
        assertThat(SystemdNotifier.parseWatchdog("20000000", "42", 42)).contains(Duration.ofSeconds(20));
        assertThat(SystemdNotifier.parseWatchdog("20000000", "43", 42)).isEmpty();
        assertThat(SystemdNotifier.parseWatchdog(null, "42", 42)).isEmpty();
        assertThat(SystemdNotifier.parseWatchdog("0", null, 42)).isEmpty();
        assertThat(SystemdNotifier.parseWatchdog("abc", null, 42)).isEmpty();
        assertThat(new SystemdNotifier(null, Duration.ofSeconds(5)).watchdogInterval()).contains(Duration.ofSeconds(5));
    }
}

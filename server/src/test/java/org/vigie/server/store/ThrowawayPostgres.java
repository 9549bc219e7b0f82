package org.vigie.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.vigie.testing.FreePort;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} package (bin/install-deps), a cluster made by
 * {@code initdb} in a temporary folder, started by {@code pg_ctl} on a free port of 127.0.0.1 (no Unix socket
 * outside its folder, trust authentication for its one user), durability off (fsync) since it is thrown away.
 * As root, PostgreSQL refuses to run: the folder is given to the {@code postgres} user the package creates and
 * the binaries run through {@code runuser}.
 *
 * <p>{@link #shared()} is one server per test JVM, stopped when the JVM exits; each test takes a database of its
 * own ({@link #createDatabase()}).
 */
public final class ThrowawayPostgres implements AutoCloseable {

    public static final String USER = "vigie";
    private static ThrowawayPostgres shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean stopped;

    private ThrowawayPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The JVM's server, started at the first call. */
    public static synchronized ThrowawayPostgres shared() throws IOException {
        if (shared == null) {
            ThrowawayPostgres pg = start();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "throwaway-postgres-stop"));
            shared = pg;
        }
        return shared;
    }

    /** Makes and starts a new server in a temporary folder of its own. */
    public static ThrowawayPostgres start() throws IOException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("vigie-pg");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "postgres:", dir.toString()), dir);
        }
        new ThrowawayPostgres(bin, dir, 0, root).pg("initdb", "-D", dir.resolve("data").toString(), "-U", USER,
                "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken between the probe and the bind
            ThrowawayPostgres pg = new ThrowawayPostgres(bin, dir, FreePort.pick(), root);
            try {
                pg.pg("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                        "-w", "-t", "60", "-o", "-p " + pg.port + " -c listen_addresses=127.0.0.1 -k "
                                + dir.resolve("data") + " -c fsync=off -c full_page_writes=off"
                                + " -c synchronous_commit=off -c max_connections=200", "start");
                return pg;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Debian installs the server under /usr/lib/postgresql/VERSION/bin, off the PATH: the newest one. */
    static Path binaries() throws IOException {
        String env = System.getenv("VIGIE_PG_BIN");
        if (env != null && !env.isBlank()) return Path.of(env);
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(ThrowawayPostgres::versionOf));
                if (found.isPresent()) return found.get();
            }
        }
        throw new IOException("no PostgreSQL server under /usr/lib/postgresql/*/bin: run sudo bin/install-deps "
                + "(Debian package postgresql), or set VIGIE_PG_BIN");
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void pg(String program, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        run(cmd, dir);
    }

    private static void run(List<String> cmd, Path dir) throws IOException {
        Path out = Files.createTempFile("vigie-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": still running after 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
                        + Files.readString(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of database {@code name}. */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** Creates an empty database of its own for one test; returns its name. */
    public String createDatabase() throws SQLException {
        String name = "t" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** Opens the store on database {@code name}, as a node would. */
    public Database open(String name) throws IOException {
        return Database.openPostgres(url(name), USER, "", 4);
    }

    /** Stops the server at once (immediate shutdown) and deletes its folder. */
    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        try {
            pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } catch (IOException e) {
            System.err.println("throwaway PostgreSQL: " + e.getMessage());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}

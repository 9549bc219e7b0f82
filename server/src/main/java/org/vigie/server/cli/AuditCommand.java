package org.vigie.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.audit.AuditVerification;
import org.vigie.server.config.ConfigException;
import org.vigie.server.config.VmsConfig;
import org.vigie.server.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vms audit verify --config FILE}: recomputes the audit trail's hash chain in the database of the
 * configuration and reports the first altered or removed record; exits 0 when intact, 1 when tampered, 78 on a
 * configuration error. Works on either store (the SQLite file or the cluster's PostgreSQL database) and is safe while
 * the server runs: it reads one snapshot on a connection of its own, which does not block the appenders. The head's
 * signature is checked with the server's key, or in a cluster with the key every node derives from
 * {@code cluster.secret} (so the check passes whichever node appended last, run from any node's configuration).
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify the audit trail's hash chain.")
public final class AuditCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The action: verify.")
    String action;

    @Option(names = "--config", required = true, description = "Configuration file (its database section is read).")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (!"verify".equals(action)) {
            System.err.println("vms audit: unknown action '" + action + "' (expected: verify)");
            return 2;
        }
        VmsConfig c = ConfigFiles.loadOrReport(config);
        if (c == null) {
            return ConfigException.EXIT_CODE;
        }
        if (!c.database().shared() && !Files.isRegularFile(c.database().path())) {
            System.err.println("vms audit: no database at " + c.database().path());
            return 1;
        }
        org.vigie.server.audit.HeadKey key;
        if (c.cluster() != null) { // the cluster's one key, from cluster.secret: whichever node appended last
            key = org.vigie.server.audit.HeadKeys.cluster(c.cluster().secret());
        } else {
            Path keys = org.vigie.server.VmsServer.keysDir(c);
            key = org.vigie.server.audit.HeadKeys.serverIfPresent(keys);
            if (key == null) {
                System.out.println("no server key at " + keys + ": the chain is checked without its signed head");
            }
        }
        try (Database d = Database.open(c.database())) {
            AuditVerification v = AuditLog.verify(d, key);
            System.out.println(v + " (" + c.database().describe() + ")");
            return v.intact() ? 0 : 1;
        }
    }
}

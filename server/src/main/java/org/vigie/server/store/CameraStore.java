package org.vigie.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.vigie.server.config.CameraConfig;
import org.vigie.server.config.ConfigException;

/**
 * The cameras added through the API ("api" source), persisted so that they survive a restart and are pulled at boot
 * like the cameras of the configuration file. Each row holds the camera's configuration mapping (password
 * included: the database file is private to the service user). Thread-safe through {@link Database}.
 */
public final class CameraStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final InstantSource clock;

    public CameraStore(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Inserts or replaces a camera. */
    public void save(CameraConfig c) throws SQLException {
        String doc = CameraDocuments.toNode(c, true).toString();
        db.write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO cameras (id, config, created) VALUES (?, ?, ?) "
                            + "ON CONFLICT(id) DO UPDATE SET config = excluded.config")) {
                ps.setString(1, c.id());
                ps.setString(2, doc);
                ps.setLong(3, clock.millis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public boolean delete(String id) throws SQLException {
        return db.write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM cameras WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Every stored camera, in creation order. A row that no longer validates is a corrupt database: it throws. */
    public List<CameraConfig> list() throws SQLException {
        return parse(db.read(CameraStore::documents));
    }

    /**
     * The cameras stored in the database file {@code dbFile}, read without opening it for writing (no creation, no
     * migration): what {@code vms jvm-options} counts before the server starts. Empty when the file does not exist.
     */
    public static List<CameraConfig> listStored(java.nio.file.Path dbFile) throws SQLException {
        if (!java.nio.file.Files.exists(dbFile)) return List.of();
        return parse(Database.readOnly(dbFile, CameraStore::documents));
    }

    private static List<String> documents(java.sql.Connection conn) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT config FROM cameras ORDER BY created, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static List<CameraConfig> parse(List<String> docs) throws SQLException {
        List<CameraConfig> cameras = new ArrayList<>();
        for (String d : docs) {
            try {
                cameras.add(CameraDocuments.fromNode(JSON.readTree(d)));
            } catch (IOException | ConfigException e) {
                throw new SQLException("stored camera does not validate: " + e.getMessage(), e);
            }
        }
        return cameras;
    }
}

package org.vigie.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The whole configuration, read from {@code conf/vms.yaml} (which documents every key at its default). A bad file
 * is refused with the key and the reason before anything starts. {@code cluster} is null on a single node.
 */
public record VmsConfig(ServerConfig server, StorageConfig storage, IngestConfig ingest, List<CameraConfig> cameras,
                        AuthConfig auth, TlsConfig tls, DatabaseConfig database, MetricsConfig metrics,
                        DiscoveryConfig discovery, LegalHoldsConfig legalHolds, ClusterConfig cluster,
                        PrivacyConfig privacy, LiveConfig live) {

    public VmsConfig {
        cameras = List.copyOf(cameras);
    }

    /** Whether this server is a node of a cluster ({@link #cluster()} is then not null). */
    public boolean clustered() {
        return cluster != null;
    }

    public static VmsConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("", "cannot read " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    public static VmsConfig parse(String yaml) throws ConfigException {
        JsonNode tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new ConfigException("", "not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        ConfigNode root = ConfigNode.root(tree);
        StorageConfig storage = StorageConfig.read(root.section("storage"));
        TlsConfig tls = TlsConfig.read(root.section("tls"));
        VmsConfig c = new VmsConfig(
                ServerConfig.read(root.section("server"), tls.enabled()),
                storage,
                IngestConfig.read(root.section("ingest")),
                root.list("cameras", CameraConfig::read),
                AuthConfig.read(root.section("auth")),
                tls,
                DatabaseConfig.read(root.section("database"), storage),
                MetricsConfig.read(root.section("metrics")),
                DiscoveryConfig.read(root.section("discovery")),
                LegalHoldsConfig.read(root.section("legal-holds")),
                ClusterConfig.read(root.section("cluster")),
                PrivacyConfig.read(root.section("privacy")),
                LiveConfig.read(root.section("live")));
        root.finish();
        if (c.cluster != null && !c.database.shared()) {
            throw new ConfigException("database.url", "is required in a cluster: the nodes share a PostgreSQL database");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < c.cameras.size(); i++) {
            if (!ids.add(c.cameras.get(i).id())) {
                throw new ConfigException("cameras[" + i + "].id", "duplicate camera id '" + c.cameras.get(i).id() + "'");
            }
        }
        return c;
    }

    /** A copy with another camera list (the API adds the cameras of the database to those of the file). */
    public VmsConfig withCameras(List<CameraConfig> list) {
        return new VmsConfig(server, storage, ingest, list, auth, tls, database, metrics, discovery, legalHolds,
                cluster, privacy, live);
    }
}

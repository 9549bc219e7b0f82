package org.vigie.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VmsConfigTest {

    @Test
    void shippedReferenceFileLoadsAtItsDefaults() throws Exception {
        VmsConfig c = VmsConfig.load(Path.of("../conf/vms.yaml"));
        VmsConfig defaults = VmsConfig.parse("");
        assertThat(c).isEqualTo(defaults);
        assertThat(c.server().httpPort()).isEqualTo(8080);
        assertThat(c.server().rtspPort()).isEqualTo(8554);
        assertThat(c.storage().segmentDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.storage().fragmentDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.storage().path()).isEqualTo(Path.of("/var/lib/vms/recordings"));
        assertThat(c.live().gopCacheIdle()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aZeroGopCacheIdleTurnsTheCacheOff() throws Exception {
        assertThat(VmsConfig.parse("live:\n  gop-cache-idle: 0\n").live().gopCacheIdle()).isZero();
        assertThat(VmsConfig.parse("live:\n  gop-cache-idle: 30s\n").live().gopCacheIdle()).hasSeconds(30);
    }

    /** Security review (Medium): HTTP on 0.0.0.0 without TLS by default, so passwords crossed the network in clear. */
    @Test
    void credentialsDoNotCrossTheNetworkInClearByDefault(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        VmsConfig plain = VmsConfig.parse("");
        assertThat(plain.server().bindAddress()).as("no TLS: loopback only").isEqualTo("127.0.0.1");
        assertThat(plain.server().clearTextOnNetwork(plain.tls().enabled())).isFalse();

        java.nio.file.Files.writeString(dir.resolve("cert.pem"), "x");
        java.nio.file.Files.writeString(dir.resolve("key.pem"), "x");
        VmsConfig tls = VmsConfig.parse("tls: { certificate: '" + dir.resolve("cert.pem") + "', private-key: '"
                + dir.resolve("key.pem") + "' }");
        assertThat(tls.server().bindAddress()).as("TLS configured: every interface").isEqualTo("0.0.0.0");
        assertThat(tls.server().clearTextOnNetwork(tls.tls().enabled())).isFalse();

        VmsConfig chosen = VmsConfig.parse("server: { bind-address: 0.0.0.0 }");
        assertThat(chosen.server().clearTextOnNetwork(chosen.tls().enabled()))
                .as("chosen explicitly: allowed, and the start says so loudly").isTrue();
    }

    @Test
    void demoFileLoads() throws Exception {
        VmsConfig c = VmsConfig.load(Path.of("../conf/demo.yaml"));
        assertThat(c.cameras()).hasSize(5); // cam-005 is declared by its ONVIF address only
        assertThat(c.cameras().get(0).name()).isEqualTo("Vieux-Port Nord");
    }

    @Test
    void issueExampleLoads() throws Exception {
        VmsConfig c = VmsConfig.parse("""
                server: { http-port: 8080, rtsp-port: 8554 }
                storage: { path: /var/lib/vms/recordings, segment-duration: 60s }
                cameras:
                  - id: cam-001
                    name: Vieux-Port Nord
                    url: rtsp://192.0.2.10/stream1
                    username: viewer
                    password: secret
                """);
        assertThat(c.cameras().get(0).password()).isEqualTo("secret");
        assertThat(c.cameras().get(0).toString()).doesNotContain("secret");
    }

    /** The contract of issue 13: a node of a cluster, its shared database, a pinned camera. */
    @Test
    void clusterExampleOfTheIssueLoads() throws Exception {
        VmsConfig c = VmsConfig.parse("""
                cluster:
                  zookeeper: 127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183
                  node-id: rec-01
                  advertise: http://10.0.0.11:8080
                  session-timeout: 10s
                  rebalance-delay: 2m
                  secret: 0123456789abcdef0123
                database:
                  url: jdbc:postgresql://127.0.0.1:5432/vigie
                  username: vigie
                  password: "pg-secret"
                cameras:
                  - { id: cam-001, url: rtsp://192.0.2.10/s, pin: rec-01, bitrate: 6000 }
                """);
        assertThat(c.clustered()).isTrue();
        assertThat(c.cluster().nodeId()).isEqualTo("rec-01");
        assertThat(c.cluster().sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.cluster().rebalanceDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.database().shared()).isTrue();
        assertThat(c.cameras().get(0).pin()).isEqualTo("rec-01");
        assertThat(c.cameras().get(0).bitrateKbps()).isEqualTo(6000);
        // disabling a camera through the API keeps where it is pinned and what it weighs
        CameraConfig off = c.cameras().get(0).withEnabled(false);
        assertThat(off.enabled()).isFalse();
        assertThat(off).usingRecursiveComparison().ignoringFields("enabled").isEqualTo(c.cameras().get(0));
        assertThat(c.cluster().toString()).doesNotContain("0123456789abcdef0123");
        assertThat(c.database().toString()).doesNotContain("pg-secret");
        assertThat(VmsConfig.parse("").clustered()).isFalse();
    }

    @Test
    void clusterWithoutSharedDatabaseOrSecretIsRefused() {
        String node = "cluster: { zookeeper: 'zk:2181', node-id: rec-01, advertise: 'http://10.0.0.11:8080', "
                + "secret: 0123456789abcdef0123 }\n";
        assertThatThrownBy(() -> VmsConfig.parse(node)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("database.url");
        assertThatThrownBy(() -> VmsConfig.parse(node.replace("0123456789abcdef0123", "short")
                + "database: { url: 'jdbc:postgresql://db/vigie' }")).hasMessageContaining("cluster.secret");
        assertThatThrownBy(() -> VmsConfig.parse("database: { url: 'jdbc:mysql://db/vigie' }"))
                .hasMessageContaining("database.url");
        assertThatThrownBy(() -> VmsConfig.parse("cluster: { node-id: rec-01 }")).hasMessageContaining("unknown key");
    }

    @Test
    void unknownKeyIsRefusedWithItsPath() {
        assertThatThrownBy(() -> VmsConfig.parse("storage: { segment-durations: 60s }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.segment-durations")
                .hasMessageContaining("unknown key");
    }

    @Test
    void nonRtspUrlIsRefusedWithItsPath() {
        assertThatThrownBy(() -> VmsConfig.parse("cameras: [ { id: a, url: 'http://x/y' } ]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cameras[0].url")
                .hasMessageContaining("rtsp://");
    }

    @Test
    void badDurationIsRefused() {
        assertThatThrownBy(() -> VmsConfig.parse("storage: { segment-duration: soon }"))
                .hasMessageContaining("storage.segment-duration").hasMessageContaining("not a duration");
    }

    @Test
    void retentionAboveThirtyDaysIsRefused() {
        assertThatThrownBy(() -> VmsConfig.parse("cameras: [ { id: a, url: 'rtsp://h/s', retention: 31d } ]"))
                .hasMessageContaining("cameras[0].retention").hasMessageContaining("30d");
    }

    @Test
    void duplicateIdsAreRefused() {
        assertThatThrownBy(() -> VmsConfig.parse("cameras: [ { id: a, url: 'rtsp://h/1' }, { id: a, url: 'rtsp://h/2' } ]"))
                .hasMessageContaining("cameras[1].id").hasMessageContaining("duplicate");
    }

    @Test
    void unsafeCameraIdIsRefused() {
        assertThatThrownBy(() -> VmsConfig.parse("cameras: [ { id: '../etc', url: 'rtsp://h/1' } ]"))
                .hasMessageContaining("cameras[0].id");
    }

    @Test
    void wrongTypeIsRefused() {
        assertThatThrownBy(() -> VmsConfig.parse("server: { http-port: eighty }"))
                .hasMessageContaining("server.http-port").hasMessageContaining("integer");
    }

    @Test
    void malformedYamlIsRefusedWithItsLine() {
        assertThatThrownBy(() -> VmsConfig.parse("server:\n  http-port: [1\n"))
                .hasMessageContaining("not valid YAML").hasMessageContaining("line");
    }

    @Test
    void credentialsInUrlAreRefused() {
        assertThatThrownBy(() -> VmsConfig.parse("cameras: [ { id: a, url: 'rtsp://u:p@h/1' } ]"))
                .hasMessageContaining("cameras[0].url").hasMessageContaining("credentials");
    }
}

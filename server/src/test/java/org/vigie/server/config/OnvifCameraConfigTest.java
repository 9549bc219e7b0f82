package org.vigie.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ONVIF keys of the configuration: a camera's {@code onvif} address and the {@code discovery} section. */
class OnvifCameraConfigTest {

    private static VmsConfig parse(String yaml) throws ConfigException {
        return VmsConfig.parse("storage: { path: /tmp/x }\n" + yaml);
    }

    @Test
    void aCameraMayGiveItsOnvifAddressInsteadOfItsUrl() throws Exception {
        CameraConfig c = parse("cameras:\n  - { id: dome, onvif: 'http://192.0.2.10/onvif/device_service', "
                + "username: u, password: p, record-sub: true }\n").cameras().get(0);
        assertThat(c.url()).isNull();
        assertThat(c.onvif()).isEqualTo(URI.create("http://192.0.2.10/onvif/device_service"));
        assertThat(c.recordSub()).isTrue(); // the sub stream will come from the camera's profiles
        CameraConfig resolved = c.withStreams(URI.create("rtsp://192.0.2.10/main"), URI.create("rtsp://192.0.2.10/sub"));
        assertThat(resolved.onvif()).isEqualTo(c.onvif());
        assertThat(resolved.url()).isEqualTo(URI.create("rtsp://192.0.2.10/main"));
        assertThat(resolved.toString()).doesNotContain("password=p");
    }

    @Test
    void aCameraNeedsAUrlOrAnOnvifAddressAndTheAddressMustBeHttp() {
        assertThatThrownBy(() -> parse("cameras:\n  - { id: dome }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cameras[0].url").hasMessageContaining("onvif");
        assertThatThrownBy(() -> parse("cameras:\n  - { id: dome, onvif: 'rtsp://192.0.2.10/x' }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cameras[0].onvif");
        assertThatThrownBy(() -> parse("cameras:\n  - { id: dome, onvif: 'http://u:p@192.0.2.10/x' }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> parse("cameras:\n  - { id: dome, url: 'rtsp://192.0.2.10/x', record-sub: true }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("record-sub");
    }

    @Test
    void discoveryDefaultsToTheLoopbackAndIsChecked() throws Exception {
        assertThat(parse("").discovery()).isEqualTo(new DiscoveryConfig("lo", Duration.ofSeconds(3), 3702));
        assertThat(parse("discovery: { interface: eth1, timeout: 5s }\n").discovery())
                .isEqualTo(new DiscoveryConfig("eth1", Duration.ofSeconds(5), 3702));
        assertThatThrownBy(() -> parse("discovery: { timeout: 1m }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("discovery.timeout");
        assertThatThrownBy(() -> parse("discovery: { interfce: eth1 }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("interfce");
    }

    @Test
    void theShippedConfigurationFilesParse() throws Exception {
        java.nio.file.Path conf = java.nio.file.Path.of("..", "conf");
        assertThat(VmsConfig.load(conf.resolve("vms.yaml")).discovery()).isEqualTo(DiscoveryConfig.DEFAULTS);
        VmsConfig demo = VmsConfig.load(conf.resolve("demo.yaml"));
        assertThat(demo.cameras()).anySatisfy(c -> {
            assertThat(c.onvif()).isNotNull();
            assertThat(c.url()).isNull();
        });
    }
}

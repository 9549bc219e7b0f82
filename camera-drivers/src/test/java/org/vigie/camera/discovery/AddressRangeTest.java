package org.vigie.camera.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRangeTest {

    @ParameterizedTest(name = "{0} holds {1} addresses from {2} to {3}")
    @CsvSource({
            "10.2.0.17, 1, 10.2.0.17, 10.2.0.17",
            "10.2.0.0/24, 254, 10.2.0.1, 10.2.0.254",
            "10.2.0.77/24, 254, 10.2.0.1, 10.2.0.254",
            "192.168.1.0/30, 2, 192.168.1.1, 192.168.1.2",
            "192.168.1.4/31, 2, 192.168.1.4, 192.168.1.5",
            "10.2.0.250-10.2.1.5, 12, 10.2.0.250, 10.2.1.5",
            "10.0.0.0/20, 4094, 10.0.0.1, 10.0.15.254"})
    void parses(String spec, int size, String first, String last) throws Exception {
        AddressRange r = AddressRange.parse(spec);
        assertThat(r.size()).isEqualTo(size);
        assertThat(r.addresses()).hasSize(size).first().isEqualTo(InetAddress.getByName(first));
        assertThat(r.addresses().get(size - 1)).isEqualTo(InetAddress.getByName(last));
    }

    @ParameterizedTest(name = "refuses {0}")
    @CsvSource({"10.0.0.0/8", "10.0.0.0/19", "10.0.0.1-10.0.255.255", "10.0.0.9-10.0.0.1", "10.0.0", "camera.local",
            "10.0.0.300", "10.0.0.0/33"})
    void refusesUnboundedOrInvalidRanges(String spec) {
        assertThatThrownBy(() -> AddressRange.parse(spec)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverResolvesNames() {
        assertThatThrownBy(() -> AddressRange.parse("localhost")).hasMessageContaining("not an IPv4 address");
    }
}

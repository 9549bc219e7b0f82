package org.vigie.camera.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.DiscoveredDevice;

class ProbeMatchParserTest {

    /** The shape of a Hikvision answer: several XAddrs (IPv4 + IPv6), URL-encoded scopes, several locations. */
    private static final String HIKVISION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsadis=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
            + " xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">"
            + "<env:Header><wsadis:MessageID>urn:uuid:1</wsadis:MessageID><wsadis:RelatesTo>urn:uuid:probe-42</wsadis:RelatesTo>"
            + "</env:Header><env:Body><d:ProbeMatches><d:ProbeMatch><wsadis:EndpointReference>"
            + "<wsadis:Address>urn:uuid:4d454930-0000-1000-8000-bcbac2a1b2c3</wsadis:Address></wsadis:EndpointReference>"
            + "<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>"
            + "<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming "
            + "onvif://www.onvif.org/name/HIKVISION%20DS-2DE4425IW-DE onvif://www.onvif.org/hardware/DS-2DE4425IW-DE "
            + "onvif://www.onvif.org/location/city/Lyon onvif://www.onvif.org/location/district/3e</d:Scopes>"
            + "<d:XAddrs>http://192.168.1.64/onvif/device_service http://[fe80::bec:ac2f:fea1:b2c3]/onvif/device_service"
            + "</d:XAddrs><d:MetadataVersion>10</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>";

    @Test
    void readsEndpointAddressesAndScopes() throws Exception {
        var doc = org.vigie.camera.onvif.SecureXml.parse(HIKVISION.getBytes(StandardCharsets.UTF_8));
        assertThat(ProbeMatchParser.relatesTo(doc)).isEqualTo("urn:uuid:probe-42");
        List<DiscoveredDevice> devices = ProbeMatchParser.matches(doc);
        assertThat(devices).hasSize(1);
        DiscoveredDevice d = devices.get(0);
        assertThat(d.endpointReference()).isEqualTo("urn:uuid:4d454930-0000-1000-8000-bcbac2a1b2c3");
        assertThat(d.xAddrs()).hasSize(2);
        assertThat(d.deviceService()).isEqualTo(URI.create("http://192.168.1.64/onvif/device_service"));
        assertThat(d.name()).isEqualTo("HIKVISION DS-2DE4425IW-DE");
        assertThat(d.hardware()).isEqualTo("DS-2DE4425IW-DE");
        assertThat(d.location()).isEqualTo("city/Lyon/district/3e");
        assertThat(d.types()).containsExactly("dn:NetworkVideoTransmitter", "tds:Device");
    }

    @Test
    void probeAsksForVideoTransmitters() {
        String probe = WsDiscoveryMessages.probe(java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"));
        assertThat(probe).contains("<d:Types>dn:NetworkVideoTransmitter</d:Types>")
                .contains("urn:uuid:00000000-0000-0000-0000-000000000001");
    }

    @Test
    void hostileDatagramIsRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        assertThatThrownBy(() -> ProbeMatchParser.parse(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CameraDriverException.class);
    }

    @Test
    void matchWithoutEndpointReferenceIsSkipped() throws Exception {
        String noEpr = HIKVISION.replaceAll("<wsadis:EndpointReference>.*</wsadis:EndpointReference>", "");
        assertThat(ProbeMatchParser.parse(noEpr.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}

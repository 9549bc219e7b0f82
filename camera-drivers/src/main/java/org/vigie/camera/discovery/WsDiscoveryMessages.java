package org.vigie.camera.discovery;

import java.util.UUID;

/** The WS-Discovery (2005/04, the version ONVIF uses) messages the client sends. */
public final class WsDiscoveryMessages {

    static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
    static final String WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    static final String WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    static final String DN = "http://www.onvif.org/ver10/network/wsdl";
    /** The well-known multicast group and port of WS-Discovery. */
    public static final String GROUP = "239.255.255.250";
    public static final int PORT = 3702;

    private WsDiscoveryMessages() {
    }

    /** A Probe for ONVIF video transmitters ({@code dn:NetworkVideoTransmitter}). */
    public static String probe(UUID messageId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<s:Envelope xmlns:s=\"" + SOAP12 + "\" xmlns:a=\"" + WSA + "\" xmlns:d=\"" + WSD + "\" xmlns:dn=\""
                + DN + "\"><s:Header><a:Action s:mustUnderstand=\"1\">" + WSD + "/Probe</a:Action>"
                + "<a:MessageID>urn:uuid:" + messageId + "</a:MessageID>"
                + "<a:ReplyTo><a:Address>" + WSA + "/role/anonymous</a:Address></a:ReplyTo>"
                + "<a:To s:mustUnderstand=\"1\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>"
                + "<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>";
    }
}

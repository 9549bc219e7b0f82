package org.vigie.simulator.onvif;

/**
 * What the simulator answers to one SOAP request: an HTTP status and the content of the SOAP Body (a response
 * element or a Fault). {@link #envelope()} wraps it with every namespace prefix the simulator uses.
 */
record SoapReply(int status, String body) {

    static final String NAMESPACES = " xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
            + " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\""
            + " xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\""
            + " xmlns:tr2=\"http://www.onvif.org/ver20/media/wsdl\""
            + " xmlns:tt=\"http://www.onvif.org/ver10/schema\""
            + " xmlns:tptz=\"http://www.onvif.org/ver20/ptz/wsdl\""
            + " xmlns:tev=\"http://www.onvif.org/ver10/events/wsdl\""
            + " xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\""
            + " xmlns:wsa=\"http://www.w3.org/2005/08/addressing\""
            + " xmlns:wstop=\"http://docs.oasis-open.org/wsn/t-1\""
            + " xmlns:tns1=\"http://www.onvif.org/ver10/topics\""
            + " xmlns:ter=\"http://www.onvif.org/ver10/error\"";

    static SoapReply ok(String body) {
        return new SoapReply(200, body);
    }

    /** A SOAP 1.2 fault; {@code subcode} is a prefixed QName such as {@code ter:NotAuthorized}. */
    static SoapReply fault(int status, String code, String subcode, String reason) {
        return new SoapReply(status, "<s:Fault><s:Code><s:Value>" + code + "</s:Value><s:Subcode><s:Value>" + subcode
                + "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en\">" + SimulatorXml.escape(reason)
                + "</s:Text></s:Reason></s:Fault>");
    }

    static SoapReply notAuthorized() {
        return fault(400, "s:Sender", "ter:NotAuthorized", "Sender not authorized");
    }

    static SoapReply invalidArgs(String reason) {
        return fault(400, "s:Sender", "ter:InvalidArgVal", reason);
    }

    String envelope() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope" + NAMESPACES + "><s:Body>" + body
                + "</s:Body></s:Envelope>";
    }
}

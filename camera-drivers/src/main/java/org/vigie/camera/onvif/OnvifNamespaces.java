package org.vigie.camera.onvif;

/** The XML namespaces of the ONVIF services the driver speaks. */
final class OnvifNamespaces {
    static final String TDS = "http://www.onvif.org/ver10/device/wsdl";
    static final String TRT = "http://www.onvif.org/ver10/media/wsdl";
    static final String TT = "http://www.onvif.org/ver10/schema";
    static final String TPTZ = "http://www.onvif.org/ver20/ptz/wsdl";
    static final String TEV = "http://www.onvif.org/ver10/events/wsdl";
    static final String WSNT = "http://docs.oasis-open.org/wsn/b-2";
    static final String WSA = "http://www.w3.org/2005/08/addressing";

    private OnvifNamespaces() {
    }
}

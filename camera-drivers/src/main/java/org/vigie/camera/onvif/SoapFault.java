package org.vigie.camera.onvif;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.vigie.camera.CameraDriverException;
import org.vigie.camera.CameraDriverException.Kind;
import org.w3c.dom.Element;

/**
 * Reads a SOAP 1.2 (or 1.1) {@code Fault} and classifies it: {@code ter:NotAuthorized} and WS-Security's
 * {@code FailedAuthentication}/{@code InvalidSecurity} mean {@link Kind#AUTHENTICATION};
 * {@code ter:ActionNotSupported} and {@code ter:NoSuchService} mean {@link Kind#UNSUPPORTED}; anything else is a
 * {@link Kind#SOAP_FAULT}.
 */
final class SoapFault {

    private SoapFault() {
    }

    static CameraDriverException toException(Element fault, URI endpoint) {
        List<String> codes = new ArrayList<>();
        for (Element value : SecureXml.descendants(fault, "Value")) {
            codes.add(localPart(value.getTextContent()));
        }
        SecureXml.child(fault, "faultcode").ifPresent(e -> codes.add(localPart(e.getTextContent())));
        String reason = SecureXml.descendant(fault, "Text").map(e -> e.getTextContent().trim())
                .orElse(SecureXml.text(fault, "faultstring"));
        String message = "SOAP fault " + codes + " \"" + reason + "\" from " + endpoint;
        if (codes.stream().anyMatch(c -> c.equals("NotAuthorized") || c.equals("FailedAuthentication")
                || c.equals("InvalidSecurity") || c.equals("InvalidSecurityToken"))) {
            return new CameraDriverException(Kind.AUTHENTICATION, message);
        }
        if (codes.stream().anyMatch(c -> c.equals("ActionNotSupported") || c.equals("NoSuchService")
                || c.equals("ActionNotSupportedFault"))) {
            return new CameraDriverException(Kind.UNSUPPORTED, message);
        }
        return new CameraDriverException(Kind.SOAP_FAULT, message);
    }

    private static String localPart(String qname) {
        String s = qname.trim();
        int colon = s.lastIndexOf(':');
        return colon >= 0 ? s.substring(colon + 1) : s;
    }
}

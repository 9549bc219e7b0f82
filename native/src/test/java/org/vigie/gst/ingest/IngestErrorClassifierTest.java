package org.vigie.gst.ingest;

import org.vigie.ingest.IngestErrorKind;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GError → kind table, with the exact texts GStreamer 1.22's rtspsrc produced on this machine. */
class IngestErrorClassifierTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            401 Unauthorized      | gst-resource-error-quark | 15 | Unauthorized | gstrtspsrc.c(6899): gst_rtspsrc_send (): Unauthorized (401) | AUTHENTICATION_FAILED
            404 Not found         | gst-resource-error-quark | 3  | Not found | gstrtspsrc.c(6895): Not Found (404) | NOT_FOUND
            nothing listening     | gst-resource-error-quark | 7  | Could not open resource for reading and writing. | Failed to connect. (Generic error) | CONNECTION_REFUSED
            garbage answer        | gst-resource-error-quark | 9  | Could not read from resource. | Could not receive message. (Parse error) | PROTOCOL_ERROR
            server silent         | gst-resource-error-quark | 9  | Could not read from resource. | Could not receive message. (Timeout while waiting for server response) | TIMEOUT
            connect timeout       | gst-resource-error-quark | 7  | Could not open resource for reading and writing. | Failed to connect. (Timeout while waiting for server response) | TIMEOUT
            no codec              | gst-stream-error-quark   | 6  | No decoder available | | UNSUPPORTED_CODEC
            bad bitstream         | gst-stream-error-quark   | 12 | Failed to parse stream | | PROTOCOL_ERROR
            core failure          | gst-core-error-quark     | 1  | Internal GStreamer error | | INTERNAL
            """)
    void classifies(String name, String domain, int code, String message, String debug, IngestErrorKind expected) {
        assertThat(IngestErrorClassifier.classify(domain, code, message, debug)).isEqualTo(expected);
    }
}

package org.vigie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerReadinessTest {

    @Test
    void countsTheMainStreamsWhoseStateIsStreaming() {
        String exposition = """
                # HELP vms_camera_state 1 for the current state
                # TYPE vms_camera_state gauge
                vms_camera_state{camera="cam-001",state="streaming",stream="main"} 1.0
                vms_camera_state{camera="cam-001",state="retrying",stream="main"} 0.0
                vms_camera_state{camera="cam-002",state="streaming",stream="main"} 0.0
                vms_camera_state{camera="cam-002",state="connecting",stream="main"} 1.0
                vms_camera_state{camera="cam-003",state="streaming",stream="sub"} 1.0
                vms_camera_state{camera="cam-004",stream="main",state="streaming"} 1.0
                vms_camera_frames_total{camera="cam-005",state="streaming",stream="main"} 1.0
                """;
        assertThat(ServerReadiness.streamingCameras(exposition)).isEqualTo(2);
    }
}

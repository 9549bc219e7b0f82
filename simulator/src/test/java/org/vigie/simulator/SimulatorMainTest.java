package org.vigie.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

    @Test
    void printsOneUrlPerCameraWithCredentials() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String clip = TestClips.file(TestClips.TINY).toString();
        try (CameraSimulator sim = SimulatorMain.start(new String[] {"--cameras", "3", "--port", "0",
                "--username", "u", "--password", "p", "--clip", clip, "--fps", "25"},
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
            assertThat(lines).containsExactly(
                    "rtsp://u:p@127.0.0.1:" + sim.port() + "/cam-001",
                    "rtsp://u:p@127.0.0.1:" + sim.port() + "/cam-002",
                    "rtsp://u:p@127.0.0.1:" + sim.port() + "/cam-003");
        }
    }

    @Test
    void rejectsMissingCameraCountAndUnknownArguments() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SimulatorMain.start(new String[] {"--port", "0"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--cameras");
        assertThatThrownBy(() -> SimulatorMain.start(new String[] {"--cameras", "1", "--evil"}, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatorMain.start(new String[] {"--cameras", "1", "--username", "u"}, out))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

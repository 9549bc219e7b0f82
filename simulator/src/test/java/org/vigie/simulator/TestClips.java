package org.vigie.simulator;

import java.nio.file.Path;

/** Clips shared by the tests, generated once into the user cache (so repeated runs do not re-encode). */
final class TestClips {

    /** 10 frames, an IDR every 5: a loop lasts 0.4 s, so tests see several loop seams quickly. */
    static final ClipPreset TINY = new ClipPreset(160, 120, 25, 200, 5, 10);

    static final ClipLibrary LIBRARY = ClipLibrary.userCache();

    private TestClips() {
    }

    static Path file(ClipPreset preset) {
        return LIBRARY.obtain(preset);
    }

    static SimulatorOptions options(ClipPreset preset) {
        return SimulatorOptions.defaults().withPreset(preset).withClipCache(LIBRARY.directory());
    }
}

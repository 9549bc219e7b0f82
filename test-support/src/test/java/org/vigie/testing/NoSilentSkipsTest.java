package org.vigie.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs small test classes that skip through JUnit's own launcher, as Maven does, with and without the property. */
class NoSilentSkipsTest {

    /** Skips in the test method. */
    static class SkipsInTest {
        @Test
        void needsATool() {
            Assumptions.assumeTrue(false, "frobnicate absent (Debian package frob)");
        }

        @Test
        void needsNothing() {
        }
    }

    /** Skips in a lifecycle method. */
    static class SkipsBeforeEach {
        @BeforeEach
        void mount() {
            Assumptions.assumeTrue(false, "cannot mount a tmpfs (needs root)");
        }

        @Test
        void fillsTheVolume() {
        }
    }

    private static TestExecutionSummary run(Class<?> tests, Map<String, String> parameters) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .configurationParameters(parameters).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        return listener.getSummary();
    }

    @Test
    void aSkipInATestFailsWithItsReason() {
        TestExecutionSummary s = run(SkipsInTest.class, Map.of(NoSilentSkips.ALLOW_SKIPS, "false"));
        assertEquals(1, s.getTestsFailedCount());
        assertEquals(1, s.getTestsSucceededCount());
        assertEquals(0, s.getTestsAbortedCount());
        String message = s.getFailures().get(0).getException().getMessage();
        assertTrue(message.contains("frobnicate absent (Debian package frob)"), message);
        assertTrue(message.contains("-Dvigie.allowSkips=true"), message);
    }

    @Test
    void aSkipInALifecycleMethodFails() {
        TestExecutionSummary s = run(SkipsBeforeEach.class, Map.of(NoSilentSkips.ALLOW_SKIPS, "false"));
        assertEquals(1, s.getTestsFailedCount());
        assertEquals(0, s.getTestsAbortedCount());
        assertTrue(s.getFailures().get(0).getException().getMessage().contains("cannot mount a tmpfs"));
    }

    @Test
    void thePropertySkipsAsJUnitWould() {
        TestExecutionSummary s = run(SkipsInTest.class, Map.of(NoSilentSkips.ALLOW_SKIPS, "true"));
        assertEquals(0, s.getTestsFailedCount());
        assertEquals(1, s.getTestsAbortedCount());
        assertEquals(1, s.getTestsSucceededCount());
        TestExecutionSummary before = run(SkipsBeforeEach.class, Map.of(NoSilentSkips.ALLOW_SKIPS, "true"));
        assertEquals(0, before.getTestsFailedCount());
        assertEquals(1, before.getTestsAbortedCount());
    }
}

package org.vigie.testing;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Turns a skipped test into a failed one, unless skipping was asked for explicitly with {@code -Dvigie.allowSkips=true}.
 *
 * <p>A test that needs a tool or a privilege ({@code openssl}, {@code systemd-analyze}, node/npm, a tmpfs mount, a
 * network namespace) says so with a JUnit assumption. On CI, which has everything {@code bin/install-deps} installs
 * and runs as root, such a skip is a hole nobody sees: here it fails, with the assumption's reason. A developer's
 * workstation that lacks the tool or root passes the property and the test is reported skipped, as JUnit would.
 *
 * <p>Registered for every module through {@code META-INF/services} (the parent pom turns on JUnit's extension
 * autodetection); it sees what a test method or a lifecycle method ({@code @BeforeAll}, {@code @BeforeEach}, ...)
 * throws. A test disabled by an annotation is not seen here: {@code bin/test-report} fails CI on any skip left.
 */
public final class NoSilentSkips implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    /** The system property (or JUnit configuration parameter) that allows a skip. */
    public static final String ALLOW_SKIPS = "vigie.allowSkips";

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failureFor(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failureFor(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failureFor(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failureFor(context, throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failureFor(context, throwable);
    }

    /** The throwable itself, or a failure in its place when it is a skip that was not allowed. */
    static Throwable failureFor(ExtensionContext context, Throwable throwable) {
        if (!(throwable instanceof TestAbortedException) || allowed(context)) {
            return throwable;
        }
        return new AssertionError("skipped, and a skip is a failure unless -D" + ALLOW_SKIPS + "=true: "
                + throwable.getMessage() + " (CI has everything bin/install-deps installs and runs as root; "
                + "on a workstation, bin/vms doctor --for tests names what is missing and its fix)", throwable);
    }

    private static boolean allowed(ExtensionContext context) {
        Optional<String> p = context.getConfigurationParameter(ALLOW_SKIPS);
        String value = p.orElseGet(() -> System.getProperty(ALLOW_SKIPS, "false"));
        return Boolean.parseBoolean(value.trim());
    }
}

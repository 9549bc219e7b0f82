package org.vigie.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstantBoundsTest {

    @Test
    void acceptsTheRangeIncludingItsEnds() {
        assertThat(InstantBounds.parse("2026-01-31T12:00:00Z")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(InstantBounds.parse("1970-01-01T00:00:00Z")).isEqualTo(InstantBounds.MIN);
        assertThat(InstantBounds.parse("2100-01-01T00:00:00Z")).isEqualTo(InstantBounds.MAX);
    }

    @Test
    void refusesWhatIsOutsideOrNotAnInstantWithAClearMessage() {
        assertThatThrownBy(() -> InstantBounds.parse("-300000-01-01T00:00:00Z")).isInstanceOf(DateTimeException.class)
                .hasMessageContaining("between 1970-01-01T00:00:00Z and 2100-01-01T00:00:00Z");
        assertThatThrownBy(() -> InstantBounds.parse("+300000-01-01T00:00:00Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> InstantBounds.parse("1969-12-31T23:59:59Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> InstantBounds.parse("yesterday")).isInstanceOf(DateTimeException.class)
                .hasMessageContaining("ISO-8601");
    }
}

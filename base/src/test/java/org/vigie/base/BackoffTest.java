package org.vigie.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapThenResets() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(new long[] {b.next().toSeconds(), b.next().toSeconds(), b.next().toSeconds(),
                b.next().toSeconds(), b.next().toSeconds(), b.next().toSeconds(), b.next().toSeconds()})
                .containsExactly(1, 2, 4, 8, 16, 30, 30);
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aZeroDelayIsFollowedByAHundredMillisecondsThenDoubles() {
        Backoff b = new Backoff(Duration.ZERO, Duration.ofMillis(300));
        assertThat(new long[] {b.next().toMillis(), b.next().toMillis(), b.next().toMillis(), b.next().toMillis()})
                .containsExactly(0, 100, 200, 300);
        assertThat(b.peek()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

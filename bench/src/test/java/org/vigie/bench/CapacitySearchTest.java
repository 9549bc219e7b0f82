package org.vigie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.bench.CapacitySearch.Probe;

class CapacitySearchTest {

    @Test
    void doublesWhileProbesPassThenBisectsToTenPercentOrTwentyFiveCameras() {
        // a machine that records up to 330 cameras with 0 frames lost
        CapacitySearch.Result r = CapacitySearch.search(100, 10_000, n -> n <= 330, () -> true);

        assertThat(r.probes()).containsExactly(new Probe(100, true), new Probe(200, true), new Probe(400, false),
                new Probe(300, true), new Probe(350, false), new Probe(325, true));
        assertThat(r.largestGood()).isEqualTo(325);
        assertThat(r.firstBad()).isEqualTo(350);
        assertThat(r.complete()).isTrue();
    }

    @Test
    void theStepIsTenPercentOfTheLastGoodCountAboveTwoHundredFiftyCameras() {
        CapacitySearch.Result r = CapacitySearch.search(100, 10_000, n -> n <= 1000, () -> true);

        assertThat(r.probes()).extracting(Probe::cameras).containsExactly(100, 200, 400, 800, 1600, 1200, 1000, 1100);
        assertThat(r.largestGood()).isEqualTo(1000);
        assertThat(r.firstBad()).isEqualTo(1100);
        assertThat(r.firstBad() - r.largestGood()).isLessThanOrEqualTo(CapacitySearch.step(r.largestGood()));
    }

    @Test
    void aFailedStartBisectsDownFromIt() {
        CapacitySearch.Result r = CapacitySearch.search(100, 10_000, n -> n <= 30, () -> true);

        assertThat(r.probes()).extracting(Probe::cameras).containsExactly(100, 50, 25);
        assertThat(r.largestGood()).isEqualTo(25);
        assertThat(r.firstBad()).isEqualTo(50);
    }

    @Test
    void stopsAtTheMaximumWhenEveryProbePasses() {
        CapacitySearch.Result r = CapacitySearch.search(100, 300, n -> true, () -> true);

        assertThat(r.probes()).extracting(Probe::cameras).containsExactly(100, 200, 300);
        assertThat(r.largestGood()).isEqualTo(300);
        assertThat(r.firstBad()).isEqualTo(-1);
        assertThat(r.complete()).isTrue();
    }

    @Test
    void anExhaustedBudgetReportsWhatTheSearchReached() {
        int[] calls = {0};
        CapacitySearch.Result r = CapacitySearch.search(100, 10_000, n -> {
            calls[0]++;
            return n <= 330;
        }, () -> calls[0] < 4);

        assertThat(r.probes()).hasSize(4);
        assertThat(r.largestGood()).isEqualTo(300);
        assertThat(r.firstBad()).isEqualTo(400);
        assertThat(r.complete()).isFalse();
        assertThat(List.of(r.probes().get(3))).containsExactly(new Probe(300, true));
    }
}

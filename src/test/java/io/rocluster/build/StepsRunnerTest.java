package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.container.BuilderContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of a build's reports: the whole plan first, then each step, cached ones only as finished. */
class StepsRunnerTest {

    private final List<String> events = new ArrayList<>();

    private final BuildListener recorder = new BuildListener() {
        @Override
        public void planned(List<PlannedStep> steps) {
            events.add("plan " + steps);
        }

        @Override
        public void stageStarted(String stage) {
            events.add("start " + stage);
        }

        @Override
        public void stageFinished(String stage, boolean cached, Duration elapsed) {
            events.add("finish " + stage + (cached ? " cached" : " " + elapsed.toMillis()));
        }
    };

    private BuildStep step(String name, boolean cached, long millis) {
        return new BuildStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean cached() {
                return cached;
            }

            @Override
            public Duration run(BuilderContainer container) {
                events.add("run " + name);
                if (millis < 0) {
                    throw new IllegalStateException(name + " broke");
                }
                return Duration.ofMillis(millis);
            }
        };
    }

    @Test
    void theListenerLearnsEveryStepBeforeTheFirstRuns() throws Exception {
        StepsRunner runner = new StepsRunner(recorder).add(step("bootstrap", true, 0)).add(step("packages", false, 1500))
                .add(step("collect", false, 250));

        assertThat(runner.run(null)).containsExactly(java.util.Map.entry("bootstrap", 0.0),
                java.util.Map.entry("packages", 1.5), java.util.Map.entry("collect", 0.25));
        assertThat(runner.cached()).containsExactly("bootstrap");
        assertThat(events).containsExactly(
                "plan [PlannedStep[name=bootstrap, cached=true], PlannedStep[name=packages, cached=false], "
                        + "PlannedStep[name=collect, cached=false]]",
                "run bootstrap", "finish bootstrap cached",
                "start packages", "run packages", "finish packages 1500",
                "start collect", "run collect", "finish collect 250");
    }

    @Test
    void aFailingStepEndsTheRunWithoutReportingItFinished() {
        StepsRunner runner = new StepsRunner(recorder).add(step("packages", false, -1)).add(step("collect", false, 1));

        assertThatThrownBy(() -> runner.run(null)).hasMessage("packages broke");
        assertThat(events).endsWith("start packages", "run packages");
    }
}

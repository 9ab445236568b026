package io.rocluster.build;

import io.rocluster.container.BuilderContainer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a build's steps in order, after counting them (as Jib's StepsRunner does): the listener learns every
 * step, and which come from the cache, before the first starts, so progress is exact. Steps are added in
 * order; nothing runs until {@link #run}.
 */
final class StepsRunner {

    private final BuildListener listener;
    private final List<BuildStep> steps = new ArrayList<>();

    StepsRunner(BuildListener listener) {
        this.listener = listener;
    }

    StepsRunner add(BuildStep step) {
        steps.add(step);
        return this;
    }

    /** The names of the steps whose results come from the cache, in order. */
    List<String> cached() {
        return steps.stream().filter(BuildStep::cached).map(BuildStep::name).toList();
    }

    /**
     * Announces the plan, then runs each step and reports it.
     *
     * @return wall time in seconds by step name, in order (0 for cached steps)
     */
    Map<String, Double> run(BuilderContainer container) throws IOException {
        listener.planned(steps.stream().map(s -> new BuildListener.PlannedStep(s.name(), s.cached())).toList());
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (BuildStep step : steps) {
            if (!step.cached()) {
                listener.stageStarted(step.name());
            }
            Duration took = step.run(container);
            seconds.put(step.name(), took.toMillis() / 1000.0);
            listener.stageFinished(step.name(), step.cached(), took);
        }
        return seconds;
    }
}

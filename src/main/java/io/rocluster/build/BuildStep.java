package io.rocluster.build;

import io.rocluster.container.BuilderContainer;
import java.io.IOException;
import java.time.Duration;

/** One counted step of a build, run in order by {@link StepsRunner}. */
interface BuildStep {

    /** The step's name: its stage's. */
    String name();

    /** Whether the stage cache holds its result, so that it is only reported, not run. */
    boolean cached();

    /** Runs the step in the builder (a cached one only notes itself in the build log); returns the time taken. */
    Duration run(BuilderContainer container) throws IOException;
}

package io.rocluster.build;

import io.rocluster.container.BuilderContainer;
import java.time.Duration;

/**
 * A step that runs its script in every build and is never cached (its work depends on nothing the stage cache
 * keys, or must happen on the root as it is about to be packed): {@link Stages#REPRODUCIBLE}.
 */
final class ScriptStep implements BuildStep {

    private final StageScript script;

    ScriptStep(StageScript script) {
        this.script = script;
    }

    @Override
    public String name() {
        return script.input().stage();
    }

    @Override
    public boolean cached() {
        return false;
    }

    @Override
    public Duration run(BuilderContainer container) {
        return script.run(container, "");
    }
}

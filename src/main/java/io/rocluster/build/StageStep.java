package io.rocluster.build;

import io.rocluster.container.BuilderContainer;
import java.time.Duration;

/**
 * A cached stage: run in the builder and committed to the stage cache under its digest, or, when the cache
 * already holds that digest, only noted in the build log (the builder then started from the cached result).
 */
final class StageStep implements BuildStep {

    private final StageScript script;
    private final String digest;
    private final boolean cached;
    private final StageCache cache;
    private final String imageName;

    /**
     * @param digest    the stage's cache digest
     * @param cached    whether the cache holds it (the builder starts from it or a later stage)
     * @param imageName the image being built, recorded with the cache entry
     */
    StageStep(StageScript script, String digest, boolean cached, StageCache cache, String imageName) {
        this.script = script;
        this.digest = digest;
        this.cached = cached;
        this.cache = cache;
        this.imageName = imageName;
    }

    @Override
    public String name() {
        return script.input().stage();
    }

    @Override
    public boolean cached() {
        return cached;
    }

    @Override
    public Duration run(BuilderContainer container) {
        if (cached) {
            script.log().section(name() + " (cached " + digest + ")");
            return Duration.ZERO;
        }
        Duration took = script.run(container, digest);
        cache.store(container, name(), digest, imageName);
        return took;
    }
}

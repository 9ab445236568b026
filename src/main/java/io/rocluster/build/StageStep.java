package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.container.BuilderContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cached stage: run in the builder on {@code /build/root} and committed to the stage cache under its digest,
 * or, when the cache already holds that digest, only noted in the build log (the builder then started from
 * the cached result).
 */
final class StageStep implements BuildStep {

    /** Where every stage works: the image's root inside the builder. */
    static final String BUILD_ROOT = "/build/root";

    private final StageInput input;
    private final String digest;
    private final boolean cached;
    private final StageCache cache;
    private final String imageName;
    private final BuildLog log;
    private final BuildListener listener;

    StageStep(StageInput input, String digest, boolean cached, StageCache cache, String imageName, BuildLog log,
            BuildListener listener) {
        this.input = input;
        this.digest = digest;
        this.cached = cached;
        this.cache = cache;
        this.imageName = imageName;
        this.log = log;
        this.listener = listener;
    }

    @Override
    public String name() {
        return input.stage();
    }

    @Override
    public boolean cached() {
        return cached;
    }

    @Override
    public Duration run(BuilderContainer container) {
        if (cached) {
            log.section(input.stage() + " (cached " + digest + ")");
            return Duration.ZERO;
        }
        Duration took = runScript(container, input, digest, log, listener);
        cache.store(container, input.stage(), digest, imageName);
        return took;
    }

    /**
     * Runs a stage's script in the builder with its files in {@code /build/stage}; a failure is reported to the
     * listener with the lines that explain it, and is one line naming the stage.
     *
     * @param digest the stage's cache digest for the build log, or "" for a stage that is not cached
     */
    static Duration runScript(BuilderContainer container, StageInput in, String digest, BuildLog log,
            BuildListener listener) {
        log.section(in.stage() + (digest.isEmpty() ? "" : " " + digest));
        Instant t0 = Instant.now();
        container.execChecked(List.of("sh", "-c", "rm -rf /build/stage && mkdir -p /build/stage /build/out"));
        container.copyIn(in.files(), "/build/stage");
        Map<String, String> env = new LinkedHashMap<>(in.env());
        env.put("ROOT", BUILD_ROOT);
        env.put("OUT", "/build/out");
        env.put("LC_ALL", "C.UTF-8");
        int code = container.exec(List.of("sh", "/build/stage/" + in.script()), env, log::line);
        if (code != 0) {
            List<String> failing = log.failingLines();
            listener.stageFailed(in.stage(), code, failing);
            throw new RoclusterException("stage " + in.stage() + " failed (exit " + code + ")"
                    + (failing.isEmpty() ? "" : ": " + failing.get(failing.size() - 1).strip())
                    + "; its output is in the build log");
        }
        return Duration.between(t0, Instant.now());
    }
}

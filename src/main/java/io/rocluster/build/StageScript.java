package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.container.BuilderContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A stage's script as it runs in the builder, on {@code /build/root} with its files in {@code /build/stage},
 * and where it reports: every step that runs a script (the cached stages and collect) runs it through here.
 *
 * @param input    the script, its files and environment
 * @param log      the build log its output goes to
 * @param listener told when it fails, with the lines that explain why
 */
record StageScript(StageInput input, BuildLog log, BuildListener listener) {

    /** Where every stage works: the image's root inside the builder. */
    static final String BUILD_ROOT = "/build/root";

    /**
     * Runs the script; a failure is one line naming the stage.
     *
     * @param digest the stage's cache digest for the build log, or "" for a stage that is not cached
     */
    Duration run(BuilderContainer container, String digest) {
        log.section(input.stage() + (digest.isEmpty() ? "" : " " + digest));
        Instant t0 = Instant.now();
        container.execChecked(List.of("sh", "-c", "rm -rf /build/stage && mkdir -p /build/stage /build/out"));
        container.copyIn(input.files(), "/build/stage");
        int code = container.exec(List.of("sh", "/build/stage/" + input.script()),
                input.environment(BUILD_ROOT, "/build/out"), log::line);
        if (code != 0) {
            List<String> failing = log.failingLines();
            listener.stageFailed(input.stage(), code, failing);
            throw new RoclusterException("stage " + input.stage() + " failed (exit " + code + ")"
                    + (failing.isEmpty() ? "" : ": " + failing.get(failing.size() - 1).strip())
                    + "; its output is in the build log");
        }
        return Duration.between(t0, Instant.now());
    }
}

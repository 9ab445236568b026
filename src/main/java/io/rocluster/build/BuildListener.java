package io.rocluster.build;

import java.time.Duration;
import java.util.List;

/**
 * Progress of a build, for the command line to print. Every method has a do-nothing default. The steps are
 * announced once, all of them, before the first starts ({@link #planned}); then each cached step is reported
 * finished, and each other one started and finished (or failed), in that order.
 */
public interface BuildListener {

    /**
     * One step of the build as planned.
     *
     * @param name   the stage name (bootstrap, packages, readonly, initramfs, collect)
     * @param cached whether its result comes from the stage cache (it is not run)
     */
    record PlannedStep(String name, boolean cached) {}

    /** A line worth showing (builder image built, warnings). */
    default void note(String line) {}

    /** Every step of this build, in order, before the first starts: the total work is known from here on. */
    default void planned(List<PlannedStep> steps) {}

    /** A step starts running in the builder. */
    default void stageStarted(String stage) {}

    /** A step finished; {@code cached} when its result came from the stage cache. */
    default void stageFinished(String stage, boolean cached, Duration elapsed) {}

    /** A step failed; {@code failingLines} are the lines of its output that explain why. */
    default void stageFailed(String stage, int exitCode, List<String> failingLines) {}

    /** Streaming the root out of the builder: {@code done} of about {@code total} bytes. */
    default void streaming(long done, long total) {}
}

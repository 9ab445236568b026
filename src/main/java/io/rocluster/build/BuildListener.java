package io.rocluster.build;

import java.time.Duration;
import java.util.List;

/** Progress of a build, for the command line to print. Every method has a do-nothing default. */
public interface BuildListener {

    /** A line worth showing (builder image built, warnings). */
    default void note(String line) {}

    /** A stage starts running in the builder. */
    default void stageStarted(String stage) {}

    /** A stage finished; {@code cached} when its result came from the stage cache. */
    default void stageFinished(String stage, boolean cached, Duration elapsed) {}

    /** A stage failed; {@code failingLines} are the lines of its output that explain why. */
    default void stageFailed(String stage, int exitCode, List<String> failingLines) {}

    /** Streaming the root out of the builder: {@code done} of about {@code total} bytes. */
    default void streaming(long done, long total) {}
}

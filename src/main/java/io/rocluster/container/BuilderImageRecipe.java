package io.rocluster.container;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to make a builder image: its Containerfile directory, the base image it needs locally, what to tell a
 * user who lacks that base image, and the build arguments.
 *
 * @param name          short name, used in the image tag ({@code rocluster-builder-<name>:<digest>})
 * @param contextDir    directory holding {@code Containerfile} (the build context)
 * @param baseImage     the image of the Containerfile's FROM line, which must exist locally (never pulled)
 * @param baseImageHint one line telling how to provide {@code baseImage}
 * @param buildArgs     build arguments (part of the image's digest)
 */
public record BuilderImageRecipe(
        String name, Path contextDir, String baseImage, String baseImageHint, Map<String, String> buildArgs) {

    public BuilderImageRecipe {
        buildArgs = Map.copyOf(buildArgs);
    }

    /** The Containerfile. */
    public Path containerfile() {
        return contextDir.resolve("Containerfile");
    }
}

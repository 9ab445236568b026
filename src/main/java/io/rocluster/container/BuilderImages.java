package io.rocluster.container;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Provides builder images: tagged by a digest of their recipe (the build context's files and the build
 * arguments), so editing a Containerfile makes the next build create a new image instead of reusing a stale
 * one; built when missing, from a base image that must already be local.
 */
public final class BuilderImages {

    private BuilderImages() {}

    /** The tag the recipe's image has: {@code rocluster-builder-<name>:<first 16 hex of the recipe digest>}. */
    public static String tag(BuilderImageRecipe recipe) throws IOException {
        return "rocluster-builder-" + recipe.name() + ":" + recipeDigest(recipe).substring(0, 16);
    }

    /**
     * The builder image's id, building it first when missing.
     *
     * @throws RoclusterException when the base image is missing (with the recipe's hint) or the build fails
     */
    public static String ensure(DockerEngine engine, BuilderImageRecipe recipe, Consumer<String> log) throws IOException {
        if (!Files.isRegularFile(recipe.containerfile())) {
            throw new RoclusterException(recipe.containerfile() + " is missing: run rocluster from its source tree or set ROCLUSTER_HOME to it");
        }
        String tag = tag(recipe);
        var existing = engine.imageId(tag);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (engine.imageId(recipe.baseImage()).isEmpty()) {
            throw new RoclusterException("base image " + recipe.baseImage() + " of the " + recipe.name()
                    + " builder is missing: " + recipe.baseImageHint());
        }
        log.accept("building builder image " + tag + " from " + recipe.containerfile());
        var cmd = engine.client().buildImageCmd()
                .withDockerfile(recipe.containerfile().toFile())
                .withBaseDirectory(recipe.contextDir().toFile())
                .withTags(Set.of(tag))
                .withPull(false)
                .withRemove(true)
                .withForcerm(true);
        new TreeMap<>(recipe.buildArgs()).forEach(cmd::withBuildArg);
        try {
            cmd.exec(new BuildImageResultCallback() {
                @Override
                public void onNext(BuildResponseItem item) {
                    if (item.getStream() != null) {
                        item.getStream().lines().forEach(l -> log.accept(l.stripTrailing()));
                    }
                    if (item.getErrorDetail() != null) {
                        log.accept(item.getErrorDetail().getMessage());
                    }
                    super.onNext(item);
                }
            }).awaitImageId();
        } catch (DockerClientException e) {
            throw new RoclusterException("building the " + recipe.name() + " builder image failed (" + e.getMessage()
                    + "): see the build log");
        }
        // The build reports a short id; stage digests need the same full form an existing image gives.
        return engine.imageId(tag).orElseThrow(() -> new RoclusterException(
                "the " + recipe.name() + " builder image " + tag + " vanished right after it was built: run again"));
    }

    static String recipeDigest(BuilderImageRecipe recipe) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(recipe.contextDir())) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            byte[] name = recipe.contextDir().relativize(f).toString().getBytes(StandardCharsets.UTF_8);
            byte[] data = Files.readAllBytes(f);
            md.update((name.length + ":").getBytes(StandardCharsets.UTF_8));
            md.update(name);
            md.update((data.length + ":").getBytes(StandardCharsets.UTF_8));
            md.update(data);
        }
        new TreeMap<>(recipe.buildArgs()).forEach((k, v) -> md.update(("arg:" + k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(md.digest());
    }
}

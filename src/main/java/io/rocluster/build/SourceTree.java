package io.rocluster.build;

import io.rocluster.RoclusterException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where rocluster's {@code stages/} and {@code containers/} directories are. They stay files of the source
 * tree, not jar resources, because the static trees under {@code stages/*}{@code /files} hold symlinks (the
 * {@code *.wants/} enablement links) that a jar cannot carry. Looked up in order: system property
 * {@code rocluster.home}, environment variable {@code ROCLUSTER_HOME}, the directory above the jar
 * ({@code <tree>/target/rocluster.jar}), the working directory and its parents.
 *
 * @param root the directory holding {@code stages/} and {@code containers/}
 */
public record SourceTree(Path root) {

    /** Finds the source tree, or says in one line how to point rocluster at it. */
    public static SourceTree locate() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("rocluster.home");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        String env = System.getenv("ROCLUSTER_HOME");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        try {
            Path code = Path.of(SourceTree.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code.getParent(); p != null; p = p.getParent()) {
                candidates.add(p);
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // No code source location (unusual class loader): the working directory still works.
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            candidates.add(p);
        }
        for (Path c : candidates) {
            if (Files.isDirectory(c.resolve("stages")) && Files.isDirectory(c.resolve("containers"))) {
                return new SourceTree(c.toAbsolutePath().normalize());
            }
        }
        throw new RoclusterException("cannot find rocluster's stages/ and containers/ directories: run from the rocluster"
                + " source tree or set ROCLUSTER_HOME to it");
    }

    public Path stages() {
        return root.resolve("stages");
    }

    public Path containers() {
        return root.resolve("containers");
    }
}

package io.rocluster.artefact;

import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The artefact store: {@code <root>/<name>/<version>/} directories ({@code output/} by default).
 * Hidden entries ({@code .incoming-*}) are builds in progress or interrupted, never versions.
 *
 * @param root the store's directory
 */
public record ArtefactStore(Path root) {

    /** The directory of one version (which may not exist). */
    public Path dir(String name, String version) {
        ImageVersion.check(version);
        return root.resolve(name).resolve(version);
    }

    /** The versions of {@code name} present in the store, in {@link ImageVersion} order. */
    public List<String> versions(String name) throws IOException {
        Path d = root.resolve(name);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, Files::isDirectory)) {
            for (Path p : ds) {
                String v = p.getFileName().toString();
                if (ImageVersion.isValid(v)) {
                    out.add(v);
                }
            }
        }
        out.sort(ImageVersion.ORDER);
        return out;
    }

    /**
     * The next nightly version of {@code name} for {@code day}: {@code YYYY.MM.DD.N} with the smallest
     * N ≥ 1 that no existing version (finished or being built) uses.
     */
    public String nextNightly(String name, LocalDate day) throws IOException {
        List<String> taken = versions(name);
        Path d = root.resolve(name);
        if (Files.isDirectory(d)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, ".incoming-*")) {
                for (Path p : ds) {
                    taken.add(ArtefactWriter.versionOfStaging(p.getFileName().toString()));
                }
            }
        }
        int n = 1;
        while (taken.contains(ImageVersion.nightly(day, n).text())) {
            n++;
        }
        return ImageVersion.nightly(day, n).text();
    }
}

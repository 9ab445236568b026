package io.rocluster.artefact;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The artefact store: {@code <root>/<name>/<version>/} directories ({@code output/} by default).
 * Hidden entries ({@code .incoming-*}) are builds in progress or interrupted, never versions.
 *
 * @param root the store's directory
 */
public record ArtefactStore(Path root) {

    /** Versions (and image names) as in ARCHITECTURE.md: safe as one path component, sortable as text. */
    public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final DateTimeFormatter NIGHTLY_DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

    /** The directory of one version (which may not exist). */
    public Path dir(String name, String version) {
        requireValidVersion(version);
        return root.resolve(name).resolve(version);
    }

    /** The versions of {@code name} present in the store, sorted as text. */
    public List<String> versions(String name) throws IOException {
        Path d = root.resolve(name);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, Files::isDirectory)) {
            for (Path p : ds) {
                String v = p.getFileName().toString();
                if (VERSION.matcher(v).matches()) {
                    out.add(v);
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * The next nightly version of {@code name} for {@code day}: {@code YYYY.MM.DD.N} with the smallest
     * N ≥ 1 that no existing version (finished or being built) uses.
     */
    public String nextNightly(String name, LocalDate day) throws IOException {
        String prefix = NIGHTLY_DAY.format(day) + ".";
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
        while (taken.contains(prefix + n)) {
            n++;
        }
        return prefix + n;
    }

    /**
     * @throws RoclusterException when {@code version} is not a valid version string
     */
    public static void requireValidVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new RoclusterException("version '" + version
                    + "' is not valid: use letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit)");
        }
    }
}

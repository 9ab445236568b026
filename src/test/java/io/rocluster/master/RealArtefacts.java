package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Artefacts of a real {@code rocluster build} of the debian12 example, for the integration tests: built
 * through the CLI (Docker, the stage cache) into target/master-it/output on first use and reused after.
 * {@link #A} and {@link #C} are the example as is (two versions of the same content); {@link #B} adds
 * three packages, i.e. a second version that differs in a few packages.
 */
public final class RealArtefacts {

    public static final Path WORK = Path.of("").toAbsolutePath();
    public static final Path DIR = WORK.resolve("target/master-it");
    public static final Path OUTPUT = DIR.resolve("output");
    public static final String A = "it-a";
    public static final String B = "it-b";
    public static final String C = "it-c";

    private RealArtefacts() {}

    /** The artefact directory of one of the versions above, built if missing. */
    public static synchronized Path get(String version) throws Exception {
        Path dir = OUTPUT.resolve("compute-debian12").resolve(version);
        if (!Files.isDirectory(dir)) {
            Path spec = WORK.resolve("examples/debian12.yaml");
            if (version.equals(B)) {
                Files.createDirectories(DIR);
                spec = DIR.resolve("debian12-more-packages.yaml");
                String example = Files.readString(WORK.resolve("examples/debian12.yaml"));
                assertThat(example).contains("\npackages: []\n");
                Files.writeString(spec, example.replace("\npackages: []\n", "\npackages: [less, vim-tiny, file]\n"));
            }
            CliProcess.run(WORK, "build", spec.toString(), "--version", version, "--output", OUTPUT.toString()).requireOk();
        }
        return dir;
    }
}

package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.InMemoryFileSystem;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The files rendered for each example spec, byte for byte against checked-in expectations
 * ({@code src/test/resources/io/rocluster/readonly/golden/<example>/}: {@code files/<path>} and {@code plan}).
 * After an intended change, regenerate with {@code mvn test -Dtest=GoldenTest -Drocluster.golden.update=true}
 * and review the diff.
 */
@ExtendWith(InMemoryFileSystem.class)
class GoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/io/rocluster/readonly/golden");

    @InMemoryFileSystem.Root
    Path out;

    @ParameterizedTest
    @ValueSource(strings = {"el7", "el7-diskful", "debian12", "debian12-diskful"})
    void renderedFilesMatchTheGoldenFiles(String example) throws IOException {
        ReadOnlyConfig config = ReadOnlyConfig.of(SpecLoader.load(Path.of("examples", example + ".yaml")));
        config.writeTo(out);
        Path expected = GOLDEN.resolve(example);
        if (Boolean.getBoolean("rocluster.golden.update")) {
            config.writeTo(expected);
        }

        assertThat(tree(out)).isEqualTo(tree(expected));
        for (String file : tree(expected)) {
            assertThat(Files.readString(out.resolve(file), StandardCharsets.UTF_8))
                    .as(example + ": " + file)
                    .isEqualTo(Files.readString(expected.resolve(file), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"el7", "debian12"})
    void stageDirectoryCarriesTheModes(String example) throws IOException {
        ReadOnlyConfig.of(SpecLoader.load(Path.of("examples", example + ".yaml"))).writeTo(out);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("files/etc/machine-id"))))
                .isEqualTo("r--r--r--");
        assertThat(Files.size(out.resolve("files/etc/machine-id"))).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("files/etc/fstab"))))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("files/etc"))))
                .isEqualTo("rwxr-xr-x");
    }

    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}

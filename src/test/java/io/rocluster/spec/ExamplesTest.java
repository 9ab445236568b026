package io.rocluster.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.spec.ImageSpec.Mode;
import io.rocluster.spec.ImageSpec.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** Every example `rocluster init` prints validates, and is what its file in examples/ says. */
class ExamplesTest {

    static Stream<Arguments> examples() {
        return Stream.of(Profile.values()).flatMap(p -> Stream.of(Mode.values()).map(m -> Arguments.of(p, m)));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleValidatesWithItsProfileAndMode(Profile profile, Mode mode) {
        ImageSpec spec = SpecLoader.parse(Examples.text(profile, mode), Examples.fileName(profile, mode));

        assertThat(spec.profile()).isEqualTo(profile);
        assertThat(spec.readonly().mode()).isEqualTo(mode);
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleIsTheFileInExamplesDirectory(Profile profile, Mode mode) throws Exception {
        Path file = Path.of("examples", Examples.fileName(profile, mode));

        assertThat(Examples.text(profile, mode)).isEqualTo(Files.readString(file));
        assertThat(SpecLoader.load(file)).isEqualTo(SpecLoader.parse(Examples.text(profile, mode), "x"));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyFieldOfTheSpecIsShownAndExplainedInTheExample(Profile profile, Mode mode) {
        String text = Examples.text(profile, mode);

        for (var c : ImageSpec.class.getRecordComponents()) {
            assertThat(text).as("top-level field %s", c.getName()).containsPattern("(?m)^" + c.getName() + ":");
            assertThat(text).as("comment before %s", c.getName()).containsPattern("(?m)^#.*\\n" + c.getName() + ":");
        }
    }
}

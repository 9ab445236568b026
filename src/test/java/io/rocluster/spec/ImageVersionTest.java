package io.rocluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageVersionTest {

    @Test
    void nightlyVersionsOrderByDayThenNumber() {
        List<String> expected = List.of("2026.11.24.12", "2026.11.25.1", "2026.11.25.2", "2026.11.25.9",
                "2026.11.25.10", "2026.11.25.11", "2026.12.01.1");
        List<String> shuffled = new ArrayList<>(expected);
        Collections.reverse(shuffled);
        Collections.swap(shuffled, 1, 4);
        shuffled.sort(ImageVersion.ORDER);
        assertThat(shuffled).containsExactlyElementsOf(expected);
        assertThat(ImageVersion.parse("2026.11.25.9")).isLessThan(ImageVersion.parse("2026.11.25.10"));
    }

    @Test
    void otherVersionsOrderByText() {
        assertThat(ImageVersion.ORDER.compare("v10", "v2")).isNegative();
        assertThat(ImageVersion.ORDER.compare("v1", "v1a")).isNegative();
        assertThat(ImageVersion.ORDER.compare("1.0", "2026.11.25.1")).isNegative();
        assertThat(ImageVersion.ORDER.compare("2026.11.25.1", "release")).isNegative();
    }

    @Test
    void theOrderIsTotalTransitiveAndConsistentWithEquals() {
        // Nightly and near-nightly names mixed: text and numeric comparisons must not form a cycle.
        List<String> names = List.of("v1", "v01", "v2", "v10", "v1a", "v1.1", "rc", "1", "a-b", "a_b",
                "2026.11.25.1", "2026.11.25.9", "2026.11.25.10", "2026.11.25.1x", "2026.11.25.9a", "2026.11.25.01",
                "2026.11.25", "2026.11.25.1.1", "2026.11.26.1");
        for (String a : names) {
            assertThat(ImageVersion.ORDER.compare(a, a)).isZero();
            for (String b : names) {
                int ab = Integer.signum(ImageVersion.ORDER.compare(a, b));
                assertThat(ab).as("%s vs %s", a, b).isEqualTo(-Integer.signum(ImageVersion.ORDER.compare(b, a)));
                if (!a.equals(b)) {
                    assertThat(ab).as("%s vs %s", a, b).isNotZero();
                }
                for (String c : names) {
                    if (ab < 0 && ImageVersion.ORDER.compare(b, c) < 0) {
                        assertThat(ImageVersion.ORDER.compare(a, c)).as("%s < %s < %s", a, b, c).isNegative();
                    }
                }
            }
        }
    }

    @Test
    void checkNamesTheValueAndTheRuleInOneLine() {
        for (String bad : new String[] {"../etc", "", ".hidden", "-x", "a/b", "a b", "x".repeat(65)}) {
            assertThatThrownBy(() -> ImageVersion.check(bad)).isInstanceOf(RoclusterException.class)
                    .hasMessage("'" + bad + "' is not a version: use 1 to 64 letters, digits, '.', '_' or '-', "
                            + "starting with a letter or digit");
            assertThat(ImageVersion.isValid(bad)).isFalse();
        }
        assertThatThrownBy(() -> ImageVersion.parse(null)).isInstanceOf(RoclusterException.class);
        assertThat(ImageVersion.check("x".repeat(64))).hasSize(64);
        assertThat(ImageVersion.check("1.0_rc-2")).isEqualTo("1.0_rc-2");
    }

    @Test
    void nightlyVersionsAreMadeAndRecognised() {
        ImageVersion v = ImageVersion.nightly(LocalDate.of(2026, 3, 7), 12);
        assertThat(v.text()).isEqualTo("2026.03.07.12");
        assertThat(v.toString()).isEqualTo("2026.03.07.12");
        assertThat(v.isNightly()).isTrue();
        assertThat(ImageVersion.parse("2026.03.07").isNightly()).isFalse();
        assertThat(ImageVersion.parse("v2026.03.07.1").isNightly()).isFalse();
        assertThatThrownBy(() -> ImageVersion.nightly(LocalDate.of(2026, 3, 7), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

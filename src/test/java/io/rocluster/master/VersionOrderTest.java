package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOrderTest {

    @Test
    void nightlyVersionsOrderByDayThenNumber() {
        List<String> expected = List.of("2026.11.24.12", "2026.11.25.1", "2026.11.25.2", "2026.11.25.9",
                "2026.11.25.10", "2026.11.25.11", "2026.12.01.1");
        List<String> shuffled = new ArrayList<>(expected);
        Collections.reverse(shuffled);
        Collections.swap(shuffled, 1, 4);
        shuffled.sort(MasterLayout.VERSION_ORDER);
        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void mixedNamesAreATotalOrderConsistentWithEquals() {
        List<String> names = List.of("v1", "v01", "v2", "v10", "v1a", "v1.1", "rc", "1", "a-b", "a_b", "2026.11.25.1");
        for (String a : names) {
            assertThat(MasterLayout.VERSION_ORDER.compare(a, a)).isZero();
            for (String b : names) {
                int ab = Integer.signum(MasterLayout.VERSION_ORDER.compare(a, b));
                int ba = Integer.signum(MasterLayout.VERSION_ORDER.compare(b, a));
                assertThat(ab).as("%s vs %s", a, b).isEqualTo(-ba);
                if (!a.equals(b)) {
                    assertThat(ab).as("%s vs %s", a, b).isNotZero();
                }
            }
        }
        assertThat(MasterLayout.VERSION_ORDER.compare("v2", "v10")).isNegative();
        assertThat(MasterLayout.VERSION_ORDER.compare("v1", "v1a")).isNegative();
    }
}

package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SourceDateEpochTest {

    @Test
    void theOptionWinsThenTheEnvironmentThenNone() {
        assertThat(SourceDateEpoch.resolve(7L, Map.of("SOURCE_DATE_EPOCH", "9"))).hasValue(7);
        assertThat(SourceDateEpoch.resolve(null, Map.of("SOURCE_DATE_EPOCH", " 1760000000\n"))).hasValue(1_760_000_000L);
        assertThat(SourceDateEpoch.resolve(null, Map.of("SOURCE_DATE_EPOCH", ""))).isEqualTo(OptionalLong.empty());
        assertThat(SourceDateEpoch.resolve(null, Map.of())).isEmpty();
    }

    @Test
    void anythingButWholeSecondsIsOneLineNamingTheValueAndTheFix() {
        for (String bad : new String[] {"yesterday", "1.5", "-1", "99999999999999999999"}) {
            assertThatThrownBy(() -> SourceDateEpoch.parse(bad)).isInstanceOf(RoclusterException.class)
                    .hasMessage("SOURCE_DATE_EPOCH='" + bad + "' is not a number of seconds since the epoch: "
                            + "set it to a whole number (e.g. $(date +%s)) or unset it");
        }
        assertThatThrownBy(() -> SourceDateEpoch.resolve(-5L, Map.of())).hasMessageStartingWith("SOURCE_DATE_EPOCH='-5'");
    }
}

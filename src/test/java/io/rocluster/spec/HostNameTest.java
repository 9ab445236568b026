package io.rocluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import org.junit.jupiter.api.Test;

class HostNameTest {

    @Test
    void namesAndDottedAddressesPass() {
        for (String ok : new String[] {"node01", "node01.cluster.example", "10.0.2.2", "A-1.b", "x".repeat(63)}) {
            assertThat(HostName.isValid(ok)).as(ok).isTrue();
            assertThat(HostName.parse(ok).text()).isEqualTo(ok);
        }
    }

    @Test
    void anythingElseIsOneLineNamingTheValue() {
        String longName = ("a".repeat(60) + ".").repeat(4) + "abcdefghij";
        for (String bad : new String[] {"", "-node", "node-", "a..b", ".a", "a.", "../etc", "node 1", "n_1",
                "x".repeat(64), longName, "a/b"}) {
            assertThat(HostName.isValid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> HostName.parse(bad)).isInstanceOf(RoclusterException.class)
                    .hasMessageStartingWith("'" + bad + "' is not a host name: ");
        }
        assertThat(HostName.isValid(null)).isFalse();
    }
}

package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import org.junit.jupiter.api.Test;

class GuestNetworkTest {

    @Test
    void qemusDefaultLayoutWhenTheServerIsItsDefaultHost() {
        GuestNetwork n = GuestNetwork.around("10.0.2.2");
        assertThat(n).isEqualTo(new GuestNetwork("10.0.2.0/24", "10.0.2.2", "10.0.2.15", "10.0.2.3"));
    }

    @Test
    void theHostTakesTheImagesServerAddressAndLeasesAndDnsMoveOutOfItsWay() {
        assertThat(GuestNetwork.around("192.168.10.15"))
                .isEqualTo(new GuestNetwork("192.168.10.0/24", "192.168.10.15", "192.168.10.16", "192.168.10.3"));
        assertThat(GuestNetwork.around("172.16.0.3"))
                .isEqualTo(new GuestNetwork("172.16.0.0/24", "172.16.0.3", "172.16.0.15", "172.16.0.4"));
    }

    @Test
    void namesAndBadAddressesAreRefusedWithTheFieldToFix() {
        assertThatThrownBy(() -> GuestNetwork.around("master.cluster"))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("IPv4").hasMessageContaining("nfs.server");
        assertThatThrownBy(() -> GuestNetwork.around("10.0.300.2")).isInstanceOf(RoclusterException.class);
        assertThatThrownBy(() -> GuestNetwork.around("10.0.2.255"))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("broadcast");
    }
}

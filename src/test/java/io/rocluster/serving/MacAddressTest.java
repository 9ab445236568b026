package io.rocluster.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void everyCommonSpellingBecomesOneCanonicalForm() {
        for (String s : new String[] {"52:54:00:AB:cd:0e", "52-54-00-ab-CD-0E", "525400abcd0e", " 52:54:00:ab:cd:0e "}) {
            assertThat(MacAddress.parse(s).text()).as(s).isEqualTo("52:54:00:ab:cd:0e");
        }
    }

    @Test
    void theLoadersFileNamesAreTheirOwnConventions() {
        MacAddress m = MacAddress.parse("52:54:00:AB:CD:0E");
        // pxelinux: ARP type 01, lower case, dashes (syslinux's PXELINUX documentation).
        assertThat(m.pxelinuxName()).isEqualTo("01-52-54-00-ab-cd-0e");
        // GRUB: grub_net_search_config_file tries "<config>-01-<mac>" first.
        assertThat(m.grubName()).isEqualTo("grub.cfg-01-52-54-00-ab-cd-0e");
        // iPXE: ${mac:hexhyp} is the dashed form the fallback script chains to.
        assertThat(m.ipxeName()).isEqualTo("01-52-54-00-ab-cd-0e.ipxe");
    }

    @Test
    void malformedMulticastAndZeroAddressesAreRefusedWithTheFix() {
        for (String bad : new String[] {"52:54:00:ab:cd", "52:54:00:ab:cd:0g", "52:54:00:ab:cd:0e:11", "5254.00ab.cd0e", "",
            "52:54-00:ab:cd:0e:"}) {
            assertThatThrownBy(() -> MacAddress.parse(bad)).as(bad).isInstanceOf(RoclusterException.class)
                    .hasMessageContaining("is not a MAC address").hasMessageContaining("e.g. 52:54:00:12:34:56");
        }
        assertThatThrownBy(() -> MacAddress.parse("01:00:5e:00:00:01")).hasMessageContaining("multicast");
        assertThatThrownBy(() -> MacAddress.parse("00:00:00:00:00:00")).hasMessageContaining("all-zero");
    }
}

package io.rocluster.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingRenderersTest {

    private static final Ipv4Range NET = Ipv4Range.parse("10.0.2.0/24");

    @Test
    void parsesCidrAndRejectsMistakes() {
        assertThat(NET.networkAddress()).isEqualTo("10.0.2.0");
        assertThat(NET.netmask()).isEqualTo("255.255.255.0");
        assertThat(Ipv4Range.parse("172.16.0.0/12").netmask()).isEqualTo("255.240.0.0");
        assertThat(Ipv4Range.parse("0.0.0.0/0").netmask()).isEqualTo("0.0.0.0");
        assertThat(NET.contains(Ipv4Range.parseAddress("10.0.2.15", "x"))).isTrue();
        assertThat(NET.contains(Ipv4Range.parseAddress("10.0.3.15", "x"))).isFalse();
        assertThatThrownBy(() -> Ipv4Range.parse("10.0.2.5/24")).isInstanceOf(RoclusterException.class)
                .hasMessageContaining("did you mean 10.0.2.0/24");
        assertThatThrownBy(() -> Ipv4Range.parse("10.0.2.0")).hasMessageContaining("missing /prefix");
        assertThatThrownBy(() -> Ipv4Range.parse("10.0.256.0/24")).hasMessageContaining("over 255");
        assertThatThrownBy(() -> Ipv4Range.parse("10.0.2.0/33")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Ipv4Range.parse("fe80::/64")).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void kernelExportsAreReadOnlyImagesAndReadWriteState() {
        String text = ExportsRenderer.render(List.of(
                new NfsExport("/data/cluster/images", "/data/cluster/images", NfsExport.Access.RO, NET),
                new NfsExport("/data/cluster/state", "/data/cluster/state", NfsExport.Access.RW, NET)));
        assertThat(text.lines().filter(l -> !l.startsWith("#")).toList()).containsExactly(
                "/data/cluster/images 10.0.2.0/24(ro,no_root_squash,no_subtree_check,crossmnt)",
                "/data/cluster/state 10.0.2.0/24(rw,sync,no_root_squash,no_subtree_check)");
        assertThatThrownBy(() -> ExportsRenderer.render(List.of(
                new NfsExport("/srv/m/images", "/data/cluster/images", NfsExport.Access.RO, NET))))
                .hasMessageContaining("cannot appear to clients as");
        assertThatThrownBy(() -> new NfsExport("/a b", "/a b", NfsExport.Access.RO, NET))
                .hasMessageContaining("without blanks");
    }

    @Test
    void ganeshaBlockGrantsAccessOnlyToTheClientRange() {
        String block = GaneshaRenderer.exportBlock(3,
                new NfsExport("/srv/m/images", "/data/cluster/images", NfsExport.Access.RO, NET), 4);
        assertThat(block).isEqualTo("EXPORT {\n"
                + "\tExport_Id = 3;\n"
                + "\tPath = \"/srv/m/images\";\n"
                + "\tPseudo = \"/data/cluster/images\";\n"
                + "\tProtocols = 4;\n"
                + "\tTransports = TCP;\n"
                + "\tSecType = sys;\n"
                + "\tAccess_Type = None;\n"
                + "\tSquash = No_Root_Squash;\n"
                + "\tFSAL {\n\t\tName = VFS;\n\t}\n"
                + "\tCLIENT {\n\t\tClients = 10.0.2.0/24;\n\t\tAccess_Type = RO;\n\t\tProtocols = 4;\n\t}\n"
                + "}\n");
        String v3 = GaneshaRenderer.render(List.of(
                new NfsExport("/srv/m/images", "/data/cluster/images", NfsExport.Access.RO, NET),
                new NfsExport("/srv/m/state", "/data/cluster/state", NfsExport.Access.RW, NET)), 1, 3);
        assertThat(v3).contains("Export_Id = 1;", "Export_Id = 2;", "Protocols = 3, 4;", "Access_Type = RW;",
                "Mount_Path_Pseudo");
    }

    @Test
    void dnsmasqIsProxyDhcpWithTftpFromTheMaster() {
        String conf = DnsmasqRenderer.render(NET, Path.of("/data/cluster/tftpboot"));
        assertThat(conf.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()).containsExactly(
                "port=0",
                "dhcp-range=10.0.2.0,proxy,255.255.255.0",
                "dhcp-no-override",
                "enable-tftp",
                "tftp-root=/data/cluster/tftpboot",
                "dhcp-match=set:ipxe,175",
                "dhcp-boot=tag:ipxe,boot.ipxe",
                "pxe-service=tag:!ipxe,x86PC,\"rocluster (BIOS)\",pxelinux",
                "pxe-service=tag:!ipxe,X86-64_EFI,\"rocluster (UEFI)\",grubnetx64.efi");
    }
}

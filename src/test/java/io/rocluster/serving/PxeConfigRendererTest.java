package io.rocluster.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PxeConfigRendererTest {

    private static final PxeSettings V4 = new PxeSettings("10.0.2.2", "/data/cluster", 4, 5, true, List.of());

    private static final List<BootImage> MENU = List.of(
            new BootImage("2026.01.02.1", "console=ttyS0 quiet", ""),
            new BootImage("2026.01.01.1", "console=ttyS0", "vers=4.1"));

    @Test
    void kernelCommandLineFollowsDracutNfsRootSyntax() {
        assertThat(KernelCommandLine.of(V4, MENU.get(0))).isEqualTo(
                "root=nfs4:10.0.2.2:/data/cluster/images/2026.01.02.1/root ro ip=dhcp rd.neednet=1 console=ttyS0 quiet");
        PxeSettings v3 = new PxeSettings("master", "/data/cluster/", 3, 0, false, List.of("rocluster.boottest"));
        assertThat(KernelCommandLine.of(v3, MENU.get(1))).isEqualTo(
                "root=nfs:master:/data/cluster/images/2026.01.01.1/root:vers=4.1 ro ip=dhcp rd.neednet=1 console=ttyS0 "
                        + "rocluster.boottest");
    }

    @Test
    void pxelinuxDefaultsToTheFirstEntryAndOffersTheOthers() {
        String cfg = PxeConfigRenderer.render(V4, MENU, "generation 7").pxelinux();
        assertThat(cfg).startsWith("# rocluster boot menu for BIOS clients (pxelinux): generation 7\n");
        assertThat(cfg).contains("UI menu.c32\n", "TIMEOUT 50\n", "DEFAULT 2026.01.02.1\n");
        assertThat(cfg).contains("LABEL 2026.01.02.1\n  MENU LABEL rocluster 2026.01.02.1 (default)\n  MENU DEFAULT\n"
                + "  KERNEL images/2026.01.02.1/vmlinuz\n  INITRD images/2026.01.02.1/initramfs.img\n"
                + "  APPEND root=nfs4:10.0.2.2:/data/cluster/images/2026.01.02.1/root ro ip=dhcp rd.neednet=1 "
                + "console=ttyS0 quiet\n");
        assertThat(cfg).contains("LABEL 2026.01.01.1\n  MENU LABEL rocluster 2026.01.01.1 (previous)\n  KERNEL");
    }

    @Test
    void pxelinuxWithoutMenuModulePromptsWithTheLabels() {
        PxeSettings noMenu = new PxeSettings("10.0.2.2", "/data/cluster", 4, 3, false, List.of());
        String cfg = PxeConfigRenderer.render(noMenu, MENU, "g").pxelinux();
        assertThat(cfg).doesNotContain("UI menu.c32").contains("PROMPT 1\n", "TIMEOUT 30\n")
                .contains("type another label at boot: to choose: 2026.01.02.1 2026.01.01.1");
        PxeSettings immediate = new PxeSettings("10.0.2.2", "/data/cluster", 4, 0, true, List.of());
        assertThat(PxeConfigRenderer.render(immediate, MENU, "g").pxelinux()).doesNotContain("UI menu.c32")
                .contains("PROMPT 0\nTIMEOUT 0\nDEFAULT 2026.01.02.1\n");
    }

    @Test
    void grubAndIpxeDescribeTheSameMenu() {
        PxeConfigs c = PxeConfigRenderer.render(V4.withExtraArgs(List.of("rocluster.boottest")), MENU, "generation 7");
        assertThat(c.grub()).contains("set default=0\nset timeout=5\n")
                .contains("menuentry 'rocluster 2026.01.02.1 (default)' --id 'rocluster-2026.01.02.1' {\n")
                .contains("\tlinux /images/2026.01.02.1/vmlinuz root=nfs4:10.0.2.2:/data/cluster/images/2026.01.02.1/root "
                        + "ro ip=dhcp rd.neednet=1 console=ttyS0 quiet rocluster.boottest\n"
                        + "\tinitrd /images/2026.01.02.1/initramfs.img\n}")
                .contains("menuentry 'rocluster 2026.01.01.1 (previous)'");
        assertThat(c.ipxe()).startsWith("#!ipxe\n")
                .contains("item rocluster-0 rocluster 2026.01.02.1 (default)\nitem rocluster-1 rocluster 2026.01.01.1 (previous)\n")
                .contains("choose --default rocluster-0 --timeout 5000 target || goto rocluster-0\n")
                .contains(":rocluster-1\necho Loading rocluster 2026.01.01.1...\n"
                        + "kernel /images/2026.01.01.1/vmlinuz initrd=initramfs.img "
                        + "root=nfs4:10.0.2.2:/data/cluster/images/2026.01.01.1/root:vers=4.1 ro ip=dhcp rd.neednet=1 "
                        + "console=ttyS0 rocluster.boottest\ninitrd /images/2026.01.01.1/initramfs.img\nboot\n");
        for (String file : List.of(c.pxelinux(), c.grub(), c.ipxe())) {
            assertThat(file).contains("generation 7").contains("rocluster.boottest");
        }
    }

    @Test
    void emptyMenuReturnsToTheFirmware() {
        PxeConfigs c = PxeConfigRenderer.render(V4, List.of(), "generation 1");
        assertThat(c.pxelinux()).contains("DEFAULT local").contains("LOCALBOOT 0").doesNotContain("KERNEL");
        assertThat(c.grub()).contains("exit").doesNotContain("linux");
        assertThat(c.ipxe()).startsWith("#!ipxe\n").contains("exit 1").doesNotContain("kernel");
    }

    @Test
    void refusesArgumentsThatWouldStartANewDirective() {
        List<BootImage> evil = List.of(new BootImage("1", "quiet\nLABEL x", ""));
        assertThatThrownBy(() -> PxeConfigRenderer.render(V4, evil, "g")).hasMessageContaining("control character");
        assertThatThrownBy(() -> PxeConfigRenderer.render(V4, List.of(new BootImage("../x", "", "")), "g"))
                .hasMessageContaining("not a version");
        assertThatThrownBy(() -> PxeConfigRenderer.render(V4, MENU, "two\nlines")).hasMessageContaining("one line");
    }

    @Test
    void aGroupedClientGetsItsGroupsMenuAndIpxeChainsToItByMac() {
        MacAddress mac = MacAddress.parse("52:54:00:00:00:07");
        ServedConfigs served = PxeConfigRenderer.render(V4, MENU.subList(1, 2), "generation 9",
                List.of(new ClientMenu(mac, "node07.example", "canary", MENU)));
        // Everyone else: the fallback menu, which boots the default group's version.
        assertThat(served.fallback().pxelinux()).contains("DEFAULT 2026.01.01.1").doesNotContain("LABEL 2026.01.02.1");
        // iPXE has no per-MAC lookup of its own: the fallback script tries the client's script first.
        assertThat(served.fallback().ipxe()).contains("chain --autofree ipxe/01-${mac:hexhyp}.ipxe || goto rocluster-menu\n"
                + ":rocluster-menu\n");
        PxeConfigs own = served.perClient().get(mac);
        assertThat(own.pxelinux()).contains("DEFAULT 2026.01.02.1", "LABEL 2026.01.01.1",
                "generation 9; node07.example (52:54:00:00:00:07) of group canary");
        assertThat(own.grub()).contains("menuentry 'rocluster 2026.01.02.1 (default)'");
        assertThat(own.ipxe()).contains("item rocluster-0 rocluster 2026.01.02.1 (default)").doesNotContain("chain");
        // Without grouped clients nothing chains (no failed TFTP request on every boot).
        assertThat(PxeConfigRenderer.render(V4, MENU, "g", List.of()).fallback().ipxe()).doesNotContain("chain");
        assertThatThrownBy(() -> PxeConfigRenderer.render(V4, MENU, "g", List.of(
                new ClientMenu(mac, "a.example", "x", MENU), new ClientMenu(mac, "b.example", "y", MENU))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.master.BootTestResult;
import io.rocluster.master.MasterFixture;
import io.rocluster.master.MasterLayout;
import io.rocluster.readonly.DiskLayout;
import io.rocluster.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootTestServiceTest {

    @TempDir
    Path tmp;

    private MasterFixture m;
    private BootTestService service;

    @BeforeEach
    void master() throws Exception {
        m = new MasterFixture(tmp);
        m.deployed("v1");
        m.deployed("v2");
        m.promote().promote("v1", false, null);
        service = new BootTestService(m.layout, m.notices);
    }

    @Test
    void theMenuUnderTestIsPromotesMenuForTheVersionPlusTheBootCheckSwitchAndASerialConsole() throws Exception {
        BootTestRequest r = service.prepare("v2", "node7.cluster.test", Duration.ofSeconds(300), BootMode.PXE, false);

        assertThat(r.token()).matches("[0-9a-f]{16}");
        assertThat(r.pxelinuxConfig()).contains("DEFAULT v2", "KERNEL images/v2/vmlinuz", "INITRD images/v2/initramfs.img",
                "APPEND root=nfs4:10.0.2.2:/data/cluster/images/v2/root ro ip=dhcp rd.neednet=1 console=ttyS0 "
                        + "console=ttyS0,115200 rocluster.boottest=" + r.token() + "\n");
        assertThat(r.kernelCmdline()).isEqualTo("root=nfs4:10.0.2.2:/data/cluster/images/v2/root ro ip=dhcp "
                + "rd.neednet=1 console=ttyS0 console=ttyS0,115200 rocluster.boottest=" + r.token());
        // The live menu still boots v1: the test renders its own.
        assertThat(m.pxelinux()).contains("DEFAULT v1").doesNotContain("rocluster.boottest");
    }

    @Test
    void servesTheMastersOwnLoaderAndBootFilesAtThePathsTheMenuNames() throws Exception {
        BootTestRequest r = service.prepare("v2", null, Duration.ofSeconds(300), BootMode.PXE, false);

        assertThat(r.tftpFiles()).containsEntry("pxelinux.0", m.layout.tftpboot().resolve("pxelinux.0"))
                .containsEntry("ldlinux.c32", m.layout.tftpboot().resolve("ldlinux.c32"))
                .containsEntry("images/v2/vmlinuz", m.layout.tftpImage("v2").resolve("vmlinuz"))
                .containsEntry("images/v2/initramfs.img", m.layout.tftpImage("v2").resolve("initramfs.img"));
        assertThat(r.kernel()).isEqualTo(m.layout.image("v2").resolve("boot/vmlinuz"));
        assertThat(r.imagesDir()).isEqualTo(m.layout.images());
        assertThat(r.stateDir()).isEqualTo(m.layout.state());
        assertThat(r.clientRoot()).isEqualTo("/data/cluster");
        assertThat(r.serverAddress()).isEqualTo("10.0.2.2");
        assertThat(r.consoleLog()).isEqualTo(m.layout.image("v2").resolve("boot-test.log"));
    }

    @Test
    void theClientsStateDirectoryIsCreatedAsClientsAddWould() throws Exception {
        service.prepare("v1", "node7.cluster.test", Duration.ofSeconds(60), BootMode.DIRECT_KERNEL, false);
        assertThat(m.layout.state().resolve("node7.cluster.test")).isDirectory();

        BootTestRequest r = service.prepare("v1", null, Duration.ofSeconds(60), BootMode.DIRECT_KERNEL, false);
        assertThat(r.clientName()).isEqualTo(BootTestService.DEFAULT_CLIENT);
        assertThat(m.layout.state().resolve(BootTestService.DEFAULT_CLIENT)).isDirectory();
    }

    @Test
    void mistakesAreOneLineWithTheFix() {
        assertThatThrownBy(() -> service.prepare("v9", null, Duration.ofSeconds(60), BootMode.PXE, false))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("version v9 is not deployed")
                .hasMessageContaining("rocluster deploy");
        assertThatThrownBy(() -> service.prepare("v1", "not a name", Duration.ofSeconds(60), BootMode.PXE, false))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("is not a host name");
        assertThatThrownBy(() -> service.prepare("v1", null, Duration.ZERO, BootMode.PXE, false))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("--timeout");
        assertThatThrownBy(() -> new BootTestService(new MasterLayout(tmp.resolve("nowhere")), m.notices)
                .prepare("v1", null, Duration.ofSeconds(60), BootMode.PXE, false))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("no rocluster master");
    }

    @Test
    void aDiskfulVersionGetsATestDiskOfItsLayoutAndNoStateDirectoryOnTheMaster() throws Exception {
        m.manifest("v2", SpecLoader.load(Path.of("examples/debian12-diskful.yaml")));

        BootTestRequest r = service.prepare("v2", "node8.cluster.test", Duration.ofSeconds(300), BootMode.PXE, true);

        assertThat(r.diskful()).isTrue();
        assertThat(r.disk().partitions()).extracting(DiskLayout.Partition::label).containsExactly("stateless-rw", "stateless-state");
        assertThat(r.disk().diskBytes()).isEqualTo((1 + 64 + 128 + 1) * DiskLayout.MIB);
        assertThat(m.layout.state().resolve("node8.cluster.test")).doesNotExist();
    }

    @Test
    void theDiskfulFlagMustFitTheImage() throws Exception {
        m.manifest("v2", SpecLoader.load(Path.of("examples/debian12-diskful.yaml")));

        assertThatThrownBy(() -> service.prepare("v2", null, Duration.ofSeconds(60), BootMode.PXE, false))
                .isInstanceOf(RoclusterException.class)
                .hasMessage("version v2 is a diskful image (readonly.mode: diskful): its clients keep their RW area and "
                        + "state on local partitions labelled stateless-rw and stateless-state; run rocluster boot-test v2 "
                        + "--diskful to give the guest such a disk");
        assertThatThrownBy(() -> service.prepare("v1", null, Duration.ofSeconds(60), BootMode.PXE, true))
                .isInstanceOf(RoclusterException.class)
                .hasMessage("version v1 is a diskless image (readonly.mode: diskless): it uses no local disk; run "
                        + "rocluster boot-test v1 without --diskful");
    }

    @Test
    void theVerdictFileIsWhatPromoteRequireBootTestReads() throws Exception {
        BootVerdict.Facts facts = new BootVerdict.Facts("n", "tcg", "boot check reported", 100, true, "n", "running", true,
                List.of(), List.of(), null, List.of("/var/tmp"), List.of(), List.of(), List.of("/var/log"), List.of(), "/s",
                List.of("var/log/x"), List.of(), List.of(), List.of(), "/log");
        BootVerdict passed = new BootVerdict("v2", true, "booted", "pxe", "2026-01-01T00:00:00Z", 120, facts);
        Files.writeString(m.layout.bootTest("v2"), passed.toJson());

        BootTestResult read = BootTestResult.read(m.layout.bootTest("v2"));
        assertThat(read.readable()).isTrue();
        assertThat(read.passed()).isTrue();
        assertThat(read.version()).isEqualTo("v2");
        assertThat(m.promote().promote("v2", true, null).to()).isEqualTo("v2");

        BootVerdict failed = new BootVerdict("v1", false, "failed units: x.service", "pxe", "t", 120, facts);
        Files.writeString(m.layout.bootTest("v1"), failed.toJson());
        assertThatThrownBy(() -> m.promote().promote("v1", true, null))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("failed units: x.service");
        assertThat(m.pxelinux()).contains("DEFAULT v2");
    }

    @Test
    void asAClientTheGuestHasItsMacAndTheMenusTheMasterServesIt() throws Exception {
        io.rocluster.master.ClientsService clients = new io.rocluster.master.ClientsService(m.layout, m.notices);
        clients.add(List.of("node07.cluster.test"), "52:54:00:00:00:07", "canary");
        clients.add(List.of("node01.cluster.test"), "52:54:00:00:00:01", null);
        m.promote().promote("v2", "canary", false, null);

        BootTestRequest canary = service.prepareAsClient("v2", clients.bootPath("node07.cluster.test"), Duration.ofSeconds(60));
        assertThat(canary.mac()).isEqualTo("52:54:00:00:00:07");
        assertThat(canary.clientName()).isEqualTo("node07.cluster.test");
        assertThat(canary.pxelinuxConfig()).contains("DEFAULT v1");
        assertThat(canary.clientConfigs()).containsOnlyKeys("01-52-54-00-00-00-07");
        assertThat(canary.clientConfigs().get("01-52-54-00-00-00-07")).contains("DEFAULT v2", "LABEL v1",
                "rocluster.boottest=" + canary.token());
        assertThat(canary.tftpFiles()).containsKeys("images/v1/vmlinuz", "images/v2/vmlinuz", "images/v2/initramfs.img");
        assertThat(canary.consoleLog()).isEqualTo(m.layout.image("v2").resolve("boot-test-node07.cluster.test.log"));

        // A default-group client gets the fallback menu only: its loader finds no file of its own.
        BootTestRequest other = service.prepareAsClient("v2", clients.bootPath("node01.cluster.test"), Duration.ofSeconds(60));
        assertThat(other.clientConfigs()).isEmpty();
        assertThat(other.pxelinuxConfig()).contains("DEFAULT v1");

        assertThatThrownBy(() -> clients.bootPath("node99.cluster.test")).hasMessageContaining("is registered");
        clients.add(List.of("nomac.cluster.test"));
        assertThatThrownBy(() -> clients.bootPath("nomac.cluster.test")).hasMessageContaining("has no MAC");
    }

    @Test
    void theBootedVersionIsReadFromTheRootTheGuestMounted() throws Exception {
        BootTestRequest r = service.prepare("v2", null, Duration.ofSeconds(60), BootMode.PXE, false);
        assertThat(BootTestService.bootedVersion(verdictWithRoot("10.0.2.2:/data/cluster/images/v1/root"), r)).isEqualTo("v1");
        assertThat(BootTestService.bootedVersion(verdictWithRoot("10.0.2.2:/elsewhere/v1/root"), r)).isNull();
        assertThat(BootTestService.bootedVersion(verdictWithRoot(null), r)).isNull();
    }

    private static BootVerdict verdictWithRoot(String source) {
        BootCheckReport.Root root = source == null ? null : new BootCheckReport.Root(source, "nfs4", "ro", true, true);
        BootVerdict.Facts f = new BootVerdict.Facts("c", "tcg", "multi-user", 1, true, "c", "running", true, List.of(),
                List.of(), root, List.of(), List.of(), List.of(), List.of(), List.of(), "", List.of(), List.of(), List.of(),
                List.of(), "");
        return new BootVerdict("v2", true, "ok", "pxe", "t", 1, f);
    }
}

package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.serving.PxeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterInitServiceTest {

    @TempDir
    Path tmp;

    @Test
    void createsTheLayoutAndAnEmptyMenu() throws Exception {
        MasterFixture m = new MasterFixture(tmp);
        MasterLayout l = m.layout;
        for (Path d : new Path[] {l.images(), l.state(), l.pins(), l.tftpImages(), l.configs()}) {
            assertThat(d).isDirectory();
        }
        assertThat(l.tftpboot().resolve("pxelinux.0")).hasContent("pxelinux");
        assertThat(l.tftpboot().resolve("ldlinux.c32")).hasContent("ldlinux");
        assertThat(l.history()).isEmptyFile();
        MasterConfig c = MasterConfig.read(l.config());
        assertThat(c).isEqualTo(new MasterConfig("10.0.2.2", "10.0.2.0/24", 4, "/data/cluster",
                new MasterConfig.Pxe(5, 3, false)));
        assertThat(m.pxelinux()).contains("no version is promoted", "LOCALBOOT 0");
        assertThat(m.grub()).contains("no version is promoted");
        assertThat(m.ipxe()).contains("no version is promoted");
        assertThat(new BootConfigStore(l).current().action()).isEqualTo("init");
    }

    @Test
    void rerunIsANoOpAndDifferentSettingsNeedForce() throws Exception {
        MasterFixture m = new MasterFixture(tmp);
        Path loaders = tmp.resolve("loaders");
        MasterInitService init = new MasterInitService(m.layout, new PxeLoader(loaders, loaders, loaders), m.notices);
        assertThat(init.init("10.0.2.2", "10.0.2.0/24", 4, null, null, false).created()).isFalse();
        assertThatThrownBy(() -> init.init("10.0.3.2", "10.0.3.0/24", 4, null, null, false))
                .isInstanceOf(RoclusterException.class).hasMessageContaining("--force");
        m.deployed("1.0");
        m.promote().promote("1.0", false, null);
        init.init("10.0.3.2", "10.0.3.0/24", 3, null, null, true);
        // The live menu follows the new server and NFS version at once.
        assertThat(m.pxelinux()).contains("root=nfs:10.0.3.2:/data/cluster/images/1.0/root");
        assertThat(new Versions(m.layout).active()).isEqualTo("1.0");
    }

    @Test
    void explainsMissingLoadersAndBadSettings() {
        MasterLayout l = new MasterLayout(tmp.resolve("m"));
        MasterInitService init = new MasterInitService(l, new PxeLoader(tmp.resolve("none"), tmp.resolve("none"), tmp.resolve("none")), null);
        MasterInitService.Result r = init.init("master.example", "192.168.10.0/24", 4, "/srv/cluster", null, false);
        assertThat(r.notes()).anyMatch(n -> n.contains("apt-get install pxelinux"))
                .anyMatch(n -> n.contains("apt-get install grub-efi-amd64-bin"))
                .anyMatch(n -> n.contains("apt-get install syslinux-common"));
        assertThatThrownBy(() -> new MasterInitService(new MasterLayout(tmp.resolve("x")), null).init("10.0.2.2", "10.0.2.1/24", 4, null, null, false))
                .hasMessageContaining("did you mean 10.0.2.0/24");
        assertThatThrownBy(() -> new MasterInitService(new MasterLayout(tmp.resolve("y")), null)
                .init("10.0.2.2", "10.0.2.0/24", 5, null, null, false)).hasMessageContaining("nfsVersion 5");
        assertThatThrownBy(() -> new MasterInitService(new MasterLayout(tmp.resolve("z")), null)
                .init("10.0.2.2", "10.0.2.0/24", 4, "relative", null, false)).hasMessageContaining("clientRoot");
    }

    @Test
    void masterYamlIsReadStrictly() throws Exception {
        Path f = tmp.resolve("master.yaml");
        Files.writeString(f, "server: 10.0.2.2\nclients: 10.0.2.0/24\nnfsversion: 4\n");
        assertThatThrownBy(() -> MasterConfig.read(f)).hasMessageContaining("line 3").hasMessageContaining("nfsversion");
        Files.writeString(f, "server: 10.0.2.2\nclients: 10.0.2.0/24\n");
        assertThat(MasterConfig.read(f).clientRoot()).isEqualTo("/data/cluster");
        assertThat(MasterConfig.read(f).pxe()).isEqualTo(MasterConfig.Pxe.defaults());
    }

    @Test
    void rootComesFromOptionThenEnvironmentThenDefault() {
        assertThat(MasterLayout.resolve(Path.of("/srv/m"), Map.of(MasterLayout.ENV, "/x")).root()).isEqualTo(Path.of("/srv/m"));
        assertThat(MasterLayout.resolve(null, Map.of(MasterLayout.ENV, "/x")).root()).isEqualTo(Path.of("/x"));
        assertThat(MasterLayout.resolve(null, Map.of()).root()).isEqualTo(Path.of("/data/cluster"));
        assertThatThrownBy(() -> new MasterLayout(tmp).requireInitialised()).hasMessageContaining("master init");
    }
}

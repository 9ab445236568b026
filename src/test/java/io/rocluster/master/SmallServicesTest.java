package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients, pins, status and the serving configs on a master in a temporary directory. */
class SmallServicesTest {

    @TempDir
    Path tmp;

    MasterFixture m;

    @BeforeEach
    void setUp() {
        m = new MasterFixture(tmp);
    }

    @Test
    void clientsAddCreatesStateDirectoriesOnce() {
        ClientsService c = new ClientsService(m.layout, m.notices);
        assertThat(c.add(List.of("node01.cluster.example", "node02"))).extracting(ClientsService.Client::fqdn)
                .containsExactly("node01.cluster.example", "node02");
        assertThat(m.layout.state().resolve("node01.cluster.example")).isDirectory();
        assertThat(c.add(List.of("node02", "node03"))).extracting(ClientsService.Client::fqdn).containsExactly("node03");
        assertThat(c.list()).extracting(ClientsService.Client::fqdn)
                .containsExactly("node01.cluster.example", "node02", "node03");
        assertThatThrownBy(() -> c.add(List.of("ok", "../etc"))).hasMessageContaining("'../etc' is not a host name");
        assertThatThrownBy(() -> c.add(List.of("-bad"))).hasMessageContaining("not a host name");
        assertThat(m.layout.state().resolve("ok")).doesNotExist();
    }

    @Test
    void pinsAreFilesAndNeedADeployedVersion() throws Exception {
        m.deployed("1.0");
        PinService p = new PinService(m.layout, m.notices);
        assertThat(p.pin("1.0")).isTrue();
        assertThat(p.pin("1.0")).isFalse();
        assertThat(new Versions(m.layout).pinned()).containsExactly("1.0");
        assertThatThrownBy(() -> p.pin("2.0")).hasMessageContaining("not deployed");
        assertThat(p.unpin("1.0")).isTrue();
        assertThat(p.unpin("1.0")).isFalse();
        assertThat(new Versions(m.layout).pinned()).isEmpty();
    }

    @Test
    void statusSaysWhatRollbackWouldDo() throws Exception {
        StatusService.Status s = new StatusService(m.layout, m.notices).status();
        assertThat(s.active()).isNull();
        assertThat(s.menu()).isEmpty();
        m.deployed("1.0");
        m.deployed("2.0");
        m.promote().promote("1.0", false, null);
        m.promote().promote("2.0", false, "new kernel");
        s = new StatusService(m.layout, m.notices).status();
        assertThat(s.active()).isEqualTo("2.0");
        assertThat(s.lastSwitch().reason()).isEqualTo("new kernel");
        assertThat(s.rollbackTarget()).isEqualTo("1.0");
        assertThat(s.menu()).containsExactly("2.0", "1.0");
        assertThat(s.deployed()).isEqualTo(2);
        assertThat(s.activeSigner()).isEqualTo("unsigned");
        assertThat(s.trustedKeys()).isEmpty();
        assertThat(s.warnings()).containsExactly("this master trusts no signing key: deploy verifies nobody's signature"
                + " (rocluster master trust add KEY.pub)");
    }

    @Test
    void servingConfigsUseServerAndClientPaths() {
        ServingConfigService s = new ServingConfigService(m.layout);
        String ganesha = s.ganeshaExports();
        assertThat(ganesha).contains("Path = \"" + m.layout.images() + "\";", "Pseudo = \"/data/cluster/images\";",
                "Path = \"" + m.layout.state() + "\";", "Pseudo = \"/data/cluster/state\";", "Clients = 10.0.2.0/24;");
        assertThat(s.dnsmasq()).contains("tftp-root=" + m.layout.tftpboot());
        // Here the master is not at /data/cluster: the kernel server cannot remap, so it says how to fix it.
        assertThatThrownBy(s::exportsFile).hasMessageContaining("bind-mount");
    }
}

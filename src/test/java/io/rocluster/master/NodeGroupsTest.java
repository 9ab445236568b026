package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rocluster.RoclusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node groups on a master: canary promotes, per-client configs, per-group rollback, status, gc, bad input. */
class NodeGroupsTest {

    private static final String MAC = "52:54:00:00:00:07";

    @TempDir
    Path tmp;

    MasterFixture m;
    ClientsService clients;

    @BeforeEach
    void setUp() throws Exception {
        m = new MasterFixture(tmp);
        for (String v : List.of("1.0", "2.0", "3.0")) {
            m.deployed(v);
        }
        clients = new ClientsService(m.layout, m.notices);
        clients.add(List.of("node01.example"));
        clients.add(List.of("node07.example"), "52-54-00-00-00-07", "canary");
        m.promote().promote("1.0", false, null);
    }

    private Path tftp(String path) {
        return m.layout.tftpboot().resolve(path);
    }

    @Test
    void aCanaryPromoteChangesOnlyTheCanarysMenus() throws Exception {
        PromoteService.Result r = m.promote().promote("2.0", "canary", false, "canary first");
        assertThat(r.group()).isEqualTo("canary");
        assertThat(r.from()).as("it booted the default group's version before").isEqualTo("1.0");

        // The default group is untouched: active and the fallback menus still boot 1.0.
        assertThat(Files.readSymbolicLink(m.layout.active())).isEqualTo(Path.of("images/1.0"));
        assertThat(m.pxelinux()).contains("DEFAULT 1.0").doesNotContain("LABEL 2.0");
        assertThat(m.grub()).contains("menuentry 'rocluster 1.0 (default)'").doesNotContain("menuentry 'rocluster 2.0");
        assertThat(m.ipxe()).contains("chain --autofree ipxe/01-${mac:hexhyp}.ipxe");

        // node07's loaders find its group's menu by MAC, through links into configs/current.
        Path pxe = tftp("pxelinux.cfg/01-52-54-00-00-00-07");
        Path grub = tftp("grub/grub.cfg-01-52-54-00-00-00-07");
        Path ipxe = tftp("ipxe/01-52-54-00-00-00-07.ipxe");
        assertThat(Files.readSymbolicLink(pxe)).isEqualTo(Path.of("../configs/current/pxelinux.cfg-01-52-54-00-00-00-07"));
        assertThat(Files.readString(pxe)).contains("DEFAULT 2.0", "LABEL 1.0", "node07.example (52:54:00:00:00:07) of group canary",
                "root=nfs4:10.0.2.2:/data/cluster/images/2.0/root ro");
        assertThat(Files.readString(grub)).contains("menuentry 'rocluster 2.0 (default)'", "rocluster 1.0 (previous)");
        assertThat(Files.readString(ipxe)).contains("item rocluster-0 rocluster 2.0 (default)");

        HistoryEntry last = new History(m.layout.history()).last();
        assertThat(last).extracting(HistoryEntry::action, HistoryEntry::group, HistoryEntry::from, HistoryEntry::to,
                HistoryEntry::reason).containsExactly("promote", "canary", "1.0", "2.0", "canary first");
        // A default-group line has no group field at all: lines read by an older rocluster stay valid.
        assertThat(Files.readAllLines(m.layout.history()).get(0)).doesNotContain("group");

        StatusService.Status s = new StatusService(m.layout, m.notices).status();
        assertThat(s.groups()).extracting(g -> g.state().name(), g -> g.state().active(), g -> g.state().ownVersion(),
                g -> g.state().rollbackTarget(), g -> g.state().clients())
                .containsExactly(tuple("default", "1.0", true, null, List.of("node01.example")),
                        tuple("canary", "2.0", true, "1.0", List.of("node07.example")));
        assertThat(new ListService(m.layout, m.notices).list()).extracting(ListService.Entry::version,
                ListService.Entry::groups, ListService.Entry::stateLabel)
                .containsExactly(tuple("1.0", List.of("default"), "active"), tuple("2.0", List.of("canary"), "deployed, canary"),
                        tuple("3.0", List.of(), "deployed"));
        assertThat(clients.list()).extracting(ClientsService.Client::fqdn, ClientsService.Client::group,
                ClientsService.Client::bootsNext)
                .containsExactly(tuple("node01.example", "default", "1.0"), tuple("node07.example", "canary", "2.0"));
    }

    @Test
    void eachGroupRollsBackOnItsOwnAndGcKeepsEveryGroupsVersions() throws Exception {
        m.promote().promote("2.0", "canary", false, null);
        m.promote().promote("3.0", false, null);
        assertThat(Files.readString(tftp("pxelinux.cfg/01-52-54-00-00-00-07"))).as("a default promote leaves canary alone")
                .contains("DEFAULT 2.0");
        assertThat(m.pxelinux()).contains("DEFAULT 3.0", "LABEL 1.0");

        GcService.Result dry = new GcService(m.layout, m.notices).gc(0, true);
        assertThat(dry.removed()).isEmpty();
        assertThat(dry.kept()).contains("2.0 (active in group canary)", "3.0 (active)", "1.0 (rollback target)");

        PromoteService.Result r = m.promote().rollback("canary", null, "bad canary");
        assertThat(r).extracting(PromoteService.Result::group, PromoteService.Result::from, PromoteService.Result::to)
                .containsExactly("canary", "2.0", "1.0");
        assertThat(Files.readString(tftp("pxelinux.cfg/01-52-54-00-00-00-07"))).contains("DEFAULT 1.0");
        assertThat(Files.readSymbolicLink(m.layout.active())).as("the default group keeps 3.0").isEqualTo(Path.of("images/3.0"));
        // The default group's rollback target is still its own history's.
        assertThat(new StatusService(m.layout, m.notices).status("default").rollbackTarget()).isEqualTo("1.0");
        assertThat(m.promote().rollback("canary", null, null).to()).isEqualTo("2.0");
    }

    @Test
    void leavingAGroupRemovesTheClientsOwnConfigs() throws Exception {
        m.promote().promote("2.0", "canary", false, null);
        assertThat(tftp("pxelinux.cfg/01-52-54-00-00-00-07")).exists();
        ClientsService.Client c = clients.set("node07.example", "default", null);
        assertThat(c.group()).isEqualTo("default");
        assertThat(c.bootsNext()).isEqualTo("1.0");
        for (String p : List.of("pxelinux.cfg/01-52-54-00-00-00-07", "grub/grub.cfg-01-52-54-00-00-00-07",
                "ipxe/01-52-54-00-00-00-07.ipxe")) {
            assertThat(Files.exists(tftp(p), java.nio.file.LinkOption.NOFOLLOW_LINKS)).as(p).isFalse();
        }
        assertThat(tftp("pxelinux.cfg/default")).exists();
        assertThat(m.ipxe()).doesNotContain("chain");
        // Back in: the group still runs 2.0, so the client gets it again.
        assertThat(clients.set("node07.example", "canary", null).bootsNext()).isEqualTo("2.0");
        assertThat(Files.readString(tftp("pxelinux.cfg/01-52-54-00-00-00-07"))).contains("DEFAULT 2.0");

        assertThat(clients.remove("node07.example", false).stateKept()).isTrue();
        assertThat(m.layout.state().resolve("node07.example")).isDirectory();
        assertThat(tftp("pxelinux.cfg/01-52-54-00-00-00-07")).doesNotExist();
        assertThat(clients.list()).filteredOn(ClientsService.Client::fqdn, "node07.example")
                .extracting(ClientsService.Client::registered).containsExactly(false);
        clients.remove("node07.example", true);
        assertThat(m.layout.state().resolve("node07.example")).doesNotExist();
    }

    @Test
    void aNodeGroupNeverPromotedFollowsTheDefaultGroup() throws Exception {
        clients.add(List.of("gpu01.example"), "52:54:00:00:00:21", "gpu");
        StatusService.Status s = new StatusService(m.layout, m.notices).status("gpu");
        assertThat(s.groups()).singleElement().satisfies(g -> {
            assertThat(g.state().active()).isEqualTo("1.0");
            assertThat(g.state().ownVersion()).isFalse();
        });
        assertThat(tftp("pxelinux.cfg/01-52-54-00-00-00-21")).doesNotExist();
        assertThatThrownBy(() -> m.promote().rollback("gpu", null, null)).hasMessageContaining("never promoted");
    }

    @Test
    void badInputIsOneLineWithTheFixAndChangesNothing() throws Exception {
        m.promote().promote("2.0", "canary", false, null);
        String before = TreeHash.of(m.layout.root());
        assertRefused(() -> clients.add(List.of("node08.example"), "52:54:00:00:00", "canary"), "is not a MAC address");
        assertRefused(() -> clients.add(List.of("node08.example"), MAC, "canary"), "MAC 52:54:00:00:00:07 belongs to node07.example");
        assertRefused(() -> clients.add(List.of("node08.example"), null, "canary"), "needs a MAC to be in group canary");
        assertRefused(() -> clients.add(List.of("node08.example"), "52:54:00:00:00:08", "Canary!"), "is not a group name");
        assertRefused(() -> clients.add(List.of("a.example", "b.example"), "52:54:00:00:00:08", null), "one client");
        assertRefused(() -> clients.add(List.of("node07.example"), "52:54:00:00:00:09", "canary"), "registered already");
        assertRefused(() -> clients.set("node99.example", "canary", null), "no client node99.example is registered");
        assertRefused(() -> clients.set("node01.example", "canary", null), "needs a MAC to be in group canary");
        assertRefused(() -> clients.remove("node99.example", false), "no client node99.example");
        assertRefused(() -> m.promote().promote("3.0", "gpu", false, null), "group gpu has no clients");
        assertRefused(() -> m.promote().rollback("gpu", null, null), "no group gpu");
        assertRefused(() -> new StatusService(m.layout, m.notices).status("gpu"), "no group gpu");
        assertThat(TreeHash.of(m.layout.root())).isEqualTo(before);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(RoclusterException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aCrashBetweenClientsJsonAndItsConfigsIsFinishedByTheNextCommand() throws Exception {
        m.promote().promote("2.0", "canary", false, null);
        long generation = new BootConfigStore(m.layout).current().generation();
        // As if clients set had written clients.json and died before publishing.
        ClientRegistry.write(m.layout, List.of(new RegisteredClient("node01.example", null, null),
                new RegisteredClient("node07.example", MAC, null)));
        assertThat(tftp("pxelinux.cfg/01-52-54-00-00-00-07")).exists();
        new ListService(m.layout, m.notices).list();
        assertThat(m.notices()).contains("finished an interrupted client change");
        assertThat(new BootConfigStore(m.layout).current().generation()).isEqualTo(generation + 1);
        assertThat(Files.exists(tftp("pxelinux.cfg/01-52-54-00-00-00-07"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        // The group keeps its version while it has no clients (gc keeps it too).
        assertThat(new BootConfigStore(m.layout).current().activeOf("canary")).isEqualTo("2.0");
    }
}

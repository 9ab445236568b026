package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoteServiceTest {

    @TempDir
    Path tmp;

    MasterFixture m;

    @BeforeEach
    void setUp() throws Exception {
        m = new MasterFixture(tmp);
        m.deployed("1.0");
        m.deployed("2.0");
        m.deployed("3.0");
    }

    @Test
    void promoteSwitchesActiveConfigsAndHistory() throws Exception {
        PromoteService.Result r = m.promote().promote("1.0", false, "first");
        assertThat(r.changed()).isTrue();
        assertThat(r.from()).isNull();
        assertThat(Files.readSymbolicLink(m.layout.active())).isEqualTo(Path.of("images/1.0"));
        assertThat(m.pxelinux()).contains("DEFAULT 1.0", "root=nfs4:10.0.2.2:/data/cluster/images/1.0/root ro")
                .doesNotContain("LABEL 2.0");

        r = m.promote().promote("2.0", false, null);
        assertThat(r.from()).isEqualTo("1.0");
        assertThat(r.generation()).isEqualTo(3);
        assertThat(m.pxelinux()).contains("DEFAULT 2.0", "LABEL 1.0", "generation 3");
        assertThat(m.grub()).contains("generation 3", "menuentry 'rocluster 2.0 (default)'", "rocluster 1.0 (previous)");
        assertThat(m.ipxe()).contains("generation 3", "item rocluster-0 rocluster 2.0 (default)");

        List<HistoryEntry> h = new History(m.layout.history()).read();
        assertThat(h).extracting(HistoryEntry::action, HistoryEntry::from, HistoryEntry::to, HistoryEntry::reason,
                HistoryEntry::generation)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("promote", null, "1.0", "first", 2L),
                        org.assertj.core.groups.Tuple.tuple("promote", "1.0", "2.0", null, 3L));
        assertThat(h.get(1).user()).isNotBlank();
        assertThat(h.get(1).time()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        // Only the live generation remains.
        try (var s = Files.list(m.layout.configs())) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("current", "g000003");
        }
    }

    @Test
    void promotingTheActiveVersionChangesNothing() throws Exception {
        m.promote().promote("1.0", false, null);
        String before = m.pxelinux();
        PromoteService.Result r = m.promote().promote("1.0", false, null);
        assertThat(r.changed()).isFalse();
        assertThat(m.pxelinux()).isEqualTo(before);
        assertThat(new History(m.layout.history()).read()).hasSize(1);
    }

    @Test
    void rollbackReturnsToThePreviousVersionAndBack() throws Exception {
        m.promote().promote("1.0", false, null);
        m.promote().promote("2.0", false, null);
        m.promote().promote("3.0", false, null);
        assertThat(m.pxelinux()).contains("DEFAULT 3.0", "LABEL 2.0", "LABEL 1.0");

        PromoteService.Result r = m.promote().rollback(null, "3.0 breaks NFS");
        assertThat(r.from()).isEqualTo("3.0");
        assertThat(r.to()).isEqualTo("2.0");
        assertThat(new Versions(m.layout).active()).isEqualTo("2.0");
        // The version rolled back from is the first earlier entry: rollback again undoes the rollback.
        assertThat(m.pxelinux()).contains("DEFAULT 2.0").containsSubsequence("LABEL 2.0", "LABEL 3.0", "LABEL 1.0");
        assertThat(new History(m.layout.history()).last().action()).isEqualTo("rollback");
        assertThat(new History(m.layout.history()).last().reason()).isEqualTo("3.0 breaks NFS");
        assertThat(m.promote().rollback(null, null).to()).isEqualTo("3.0");

        assertThat(m.promote().rollback("1.0", null).to()).isEqualTo("1.0");
        assertThat(new Versions(m.layout).active()).isEqualTo("1.0");
    }

    @Test
    void menuOffersAtMostTheConfiguredEarlierVersions() throws Exception {
        m.deployed("4.0");
        m.deployed("5.0");
        for (String v : List.of("1.0", "2.0", "3.0", "4.0", "5.0")) {
            m.promote().promote(v, false, null);
        }
        assertThat(m.pxelinux()).containsSubsequence("LABEL 5.0", "LABEL 4.0", "LABEL 3.0", "LABEL 2.0")
                .doesNotContain("LABEL 1.0");
    }

    @Test
    void refusalsChangeNothing() throws Exception {
        assertThatThrownBy(() -> m.promote().rollback(null, null)).isInstanceOf(RoclusterException.class)
                .hasMessageContaining("no version was ever promoted");
        m.promote().promote("1.0", false, null);
        assertThatThrownBy(() -> m.promote().rollback(null, null)).hasMessageContaining("first version promoted");
        assertThatThrownBy(() -> m.promote().promote("9.9", false, null)).hasMessageContaining("not deployed");
        assertThatThrownBy(() -> m.promote().promote("../etc", false, null)).hasMessageContaining("is not a version");
        assertThatThrownBy(() -> m.promote().rollback("9.9", null)).hasMessageContaining("not deployed");
        assertThat(new Versions(m.layout).active()).isEqualTo("1.0");
        assertThat(new History(m.layout.history()).read()).hasSize(1);
    }

    @Test
    void requireBootTestNeedsAPassOfThatVersion() throws Exception {
        m.promote().promote("1.0", false, null);
        String configs = m.pxelinux();
        assertThatThrownBy(() -> m.promote().promote("2.0", true, null)).hasMessageContaining("no boot test result");
        Path result = m.layout.bootTest("2.0");
        Files.writeString(result, "{\"version\":\"2.0\",\"passed\":false,\"reason\":\"no multi-user\"}");
        assertThatThrownBy(() -> m.promote().promote("2.0", true, null)).hasMessageContaining("failed its boot test (no multi-user)");
        Files.writeString(result, "{\"version\":\"1.0\",\"passed\":true,\"reason\":\"ok\"}");
        assertThatThrownBy(() -> m.promote().promote("2.0", true, null)).hasMessageContaining("records a boot test of 1.0");
        Files.writeString(result, "{\"version\":");
        assertThatThrownBy(() -> m.promote().promote("2.0", true, null)).hasMessageContaining("is not a boot test result");
        assertThat(m.pxelinux()).isEqualTo(configs);
        assertThat(new Versions(m.layout).active()).isEqualTo("1.0");

        Files.writeString(result, "{\"version\":\"2.0\",\"passed\":true,\"reason\":\"ok\",\"mode\":\"pxe\","
                + "\"startedAt\":\"2026-01-01T00:00:00Z\",\"durationSeconds\":90,\"facts\":{\"multiUser\":true}}");
        assertThat(m.promote().promote("2.0", true, null).to()).isEqualTo("2.0");
    }
}

package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.archive.Durable;
import io.rocluster.serving.PxeConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The states a crash can leave, laid out by hand, and what the next command makes of them. */
class MasterRecoveryTest {

    @TempDir
    Path tmp;

    MasterFixture m;

    @BeforeEach
    void setUp() throws Exception {
        m = new MasterFixture(tmp);
        m.deployed("1.0");
        m.deployed("2.0");
        m.promote().promote("1.0", false, null);
    }

    private void recover() {
        new MasterRecovery(m.layout, m.notices).run();
    }

    @Test
    void crashAfterTheConfigSwitchIsRolledForward() throws Exception {
        // Published generation 3 (promote of 2.0), then died before active and history.
        PromotionRecord rec = new PromotionRecord(3, "promote", "2.0", "1.0", List.of("2.0", "1.0"),
                "2026-01-01T00:00:00Z", "alice", "r");
        new BootConfigStore(m.layout).publish(rec, new PxeConfigs("p", "g", "i"));
        recover();
        assertThat(new Versions(m.layout).active()).isEqualTo("2.0");
        HistoryEntry last = new History(m.layout.history()).last();
        assertThat(last.generation()).isEqualTo(3);
        assertThat(last.from()).isEqualTo("1.0");
        assertThat(last.user()).isEqualTo("alice");
        assertThat(m.notices()).contains("finished an interrupted promote");
        // Idempotent.
        recover();
        assertThat(new History(m.layout.history()).read()).hasSize(2);
    }

    @Test
    void crashMidHistoryAppendIsRepaired() throws Exception {
        PromotionRecord rec = new PromotionRecord(3, "promote", "2.0", "1.0", List.of("2.0", "1.0"),
                "2026-01-01T00:00:00Z", "alice", null);
        new BootConfigStore(m.layout).publish(rec, new PxeConfigs("p", "g", "i"));
        Durable.replaceSymlink(m.layout.active(), Path.of("images/2.0"));
        Files.writeString(m.layout.history(), "{\"time\":\"2026", java.nio.file.StandardOpenOption.APPEND);
        recover();
        List<HistoryEntry> h = new History(m.layout.history()).read();
        assertThat(h).hasSize(2);
        assertThat(h.get(1).generation()).isEqualTo(3);
    }

    @Test
    void crashBeforeTheSwitchLeavesTheOldStateAndNoLitter() throws Exception {
        String before = m.pxelinux();
        Path incoming = Files.createDirectories(m.layout.images().resolve(".incoming-3.0-abc/root/usr"));
        Files.createDirectories(m.layout.tftpImages().resolve(".incoming-3.0-abc"));
        Files.createDirectories(m.layout.tftpImages().resolve("3.0"));
        Files.createDirectories(m.layout.configs().resolve("g000009"));
        Files.writeString(m.layout.configs().resolve(".tmp-g000009-1"), "x");
        Files.writeString(m.layout.root().resolve(".tmp-active-1"), "x");
        Files.createDirectories(m.layout.images().resolve(".trash-2.0-x/root"));
        recover();
        assertThat(incoming.getParent().getParent()).doesNotExist();
        assertThat(m.layout.tftpImages().resolve(".incoming-3.0-abc")).doesNotExist();
        assertThat(m.layout.tftpImages().resolve("3.0")).doesNotExist();
        assertThat(m.layout.tftpImages().resolve("1.0")).exists();
        assertThat(m.layout.configs().resolve("g000009")).doesNotExist();
        assertThat(m.layout.configs().resolve(".tmp-g000009-1")).doesNotExist();
        assertThat(m.layout.root().resolve(".tmp-active-1")).doesNotExist();
        assertThat(m.layout.images().resolve(".trash-2.0-x")).doesNotExist();
        assertThat(m.pxelinux()).isEqualTo(before);
        assertThat(new Versions(m.layout).active()).isEqualTo("1.0");
        assertThat(m.notices()).contains(".incoming-3.0-abc");
    }

    @Test
    void missingEntryLinksAreRestored() throws Exception {
        Files.delete(m.layout.tftpboot().resolve("boot.ipxe"));
        recover();
        assertThat(Files.readSymbolicLink(m.layout.tftpboot().resolve("boot.ipxe")))
                .isEqualTo(Path.of("configs/current/boot.ipxe"));
        assertThat(m.ipxe()).contains("rocluster 1.0");
    }
}

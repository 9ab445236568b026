package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcServiceTest {

    @TempDir
    Path tmp;

    MasterFixture m;

    @BeforeEach
    void setUp() throws Exception {
        m = new MasterFixture(tmp);
        m.deployed("1", "2026-01-01T00:00:00Z");
        m.deployed("2", "2026-01-02T00:00:00Z");
        m.deployed("3", "2026-01-03T00:00:00Z");
        m.deployed("4", "2026-01-04T00:00:00Z");
        m.deployed("5", "2026-01-05T00:00:00Z");
        m.deployed("6", "2026-01-06T00:00:00Z");
    }

    @Test
    void keepsActiveRollbackPinnedAndTheNewest() throws Exception {
        m.promote().promote("1", false, null);
        m.promote().promote("2", false, null);
        new PinService(m.layout, m.notices).pin("3");
        GcService.Result dry = new GcService(m.layout, m.notices).gc(1, true);
        assertThat(dry.removed()).containsExactlyInAnyOrder("4", "5");
        assertThat(dry.kept()).containsExactlyInAnyOrder("6 (recent)", "3 (pinned)", "2 (active)", "1 (rollback target)");
        assertThat(dry.freedBytes()).isPositive();
        assertThat(new Versions(m.layout).deployed()).hasSize(6);

        GcService.Result r = new GcService(m.layout, m.notices).gc(1, false);
        assertThat(r.removed()).containsExactlyInAnyOrder("4", "5");
        assertThat(new Versions(m.layout).deployed()).containsExactly("1", "2", "3", "6");
        assertThat(m.layout.tftpImage("4")).doesNotExist();
        assertThat(m.layout.tftpImage("1")).exists();
        try (var s = Files.list(m.layout.images())) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
        assertThat(new GcService(m.layout, m.notices).gc(0, false).removed()).containsExactly("6");
    }

    @Test
    void removedVersionsLeaveTheBootMenuFirst() throws Exception {
        for (String v : new String[] {"1", "2", "3", "4"}) {
            m.promote().promote(v, false, null);
        }
        assertThat(m.pxelinux()).contains("DEFAULT 4", "LABEL 3", "LABEL 2", "LABEL 1");
        GcService.Result r = new GcService(m.layout, m.notices).gc(0, false);
        assertThat(r.removed()).containsExactlyInAnyOrder("1", "2", "5", "6");
        // Active and rollback target stay; the menu no longer offers what was removed.
        assertThat(m.pxelinux()).contains("DEFAULT 4", "LABEL 3").doesNotContain("LABEL 2", "LABEL 1");
        PromotionRecord current = new BootConfigStore(m.layout).current();
        assertThat(current.action()).isEqualTo("gc");
        assertThat(current.menu()).containsExactly("4", "3");
        assertThat(new Versions(m.layout).active()).isEqualTo("4");
        assertThat(new History(m.layout.history()).read()).hasSize(4);
    }

    @Test
    void aVersionABootTestUsesIsKeptUntilTheTestEnds() throws Exception {
        m.promote().promote("6", false, null);
        // Another process holds the shared lock a boot test holds (a POSIX record lock, as Java's).
        Path inUse = m.layout.inUse("1");
        Files.createDirectories(inUse.getParent());
        Process holder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, os, sys",
                "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)",
                "fcntl.lockf(fd, fcntl.LOCK_SH)",
                "print('held', flush=True)",
                "sys.stdin.read()"), inUse.toString()).redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertThat(line).isEqualTo("held");
            GcService.Result r = new GcService(m.layout, m.notices).gc(0, false);
            assertThat(r.kept()).containsExactlyInAnyOrder("6 (active)", "1 (in use by a boot test)");
            assertThat(r.removed()).containsExactlyInAnyOrder("2", "3", "4", "5");
            assertThat(m.layout.image("1")).isDirectory();
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        // The test is over (its process gone, so its lock too): the next gc removes the version.
        GcService.Result after = new GcService(m.layout, m.notices).gc(0, false);
        assertThat(after.removed()).containsExactly("1");
        assertThat(m.layout.image("1")).doesNotExist();
        assertThat(inUse).doesNotExist();
    }

    @Test
    void aBootTestInThisProcessCountsToo() {
        m.promote().promote("6", false, null);
        try (VersionUse use = VersionUse.share(m.layout, "2")) {
            GcService.Result dry = new GcService(m.layout, m.notices).gc(0, true);
            assertThat(dry.kept()).contains("2 (in use by a boot test)");
            assertThat(dry.removed()).containsExactlyInAnyOrder("1", "3", "4", "5");
        }
        assertThat(new GcService(m.layout, m.notices).gc(0, true).removed()).contains("2");
    }

    @Test
    void diskUsageCountsSharedInodesOnce() throws Exception {
        Path big = m.layout.imageRoot("1").resolve("big");
        Files.write(big, new byte[1 << 20]);
        Files.createLink(m.layout.imageRoot("2").resolve("big"), big);
        Files.write(m.layout.imageRoot("2").resolve("own"), new byte[1 << 20]);
        Files.createLink(m.layout.imageRoot("2").resolve("own-again"), m.layout.imageRoot("2").resolve("own"));
        DiskUsage.Usage u1 = DiskUsage.of(m.layout.image("1"), m.layout.tftpImage("1"));
        DiskUsage.Usage u2 = DiskUsage.of(m.layout.image("2"), m.layout.tftpImage("2"));
        assertThat(u1.sharedBytes()).isEqualTo(1 << 20);
        assertThat(u2.sharedBytes()).isEqualTo(1 << 20);
        // "own" is linked twice, both inside version 2: its alone, counted once.
        assertThat(u2.aloneBytes()).isBetween((long) (1 << 20), (long) (1 << 20) + 200_000);
        // tftpboot/images/<v> links the boot files: counted with their version, not as shared.
        assertThat(u1.aloneBytes()).isLessThan(200_000);
    }
}

package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.readonly.DiskLayout;
import io.rocluster.readonly.DiskLayout.Role;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test disk made for real with the host's sfdisk and mke2fs (milliseconds on a sparse file), checked
 * with tools that did not make it: sfdisk's own dump for the table, blkid probing each offset for the
 * file systems and their labels, debugfs writing a file that {@link GuestDisk#read} then finds.
 */
class GuestDiskTest {

    private static final long MIB = DiskLayout.MIB;

    @TempDir
    Path tmp;

    private DiskLayout layout;

    @BeforeEach
    void tools() {
        for (String tool : List.of("sfdisk", "mke2fs", "debugfs", "blkid")) {
            Assumptions.assumeTrue(Executables.find(tool).isPresent(), tool + " not installed (setup installs fdisk, e2fsprogs)");
        }
        layout = DiskLayout.of(SpecLoader.load(Path.of("examples/debian12-diskful.yaml")), 64 * MIB, 128 * MIB);
    }

    @Test
    void theDiskCarriesTheLayoutsTableAndAnExt4WithItsLabelAtEachOffset() throws Exception {
        GuestDisk disk = GuestDisk.create(tmp.resolve("disk.img"), layout);

        assertThat(Files.size(disk.file)).isEqualTo(194 * MIB);
        // Sparse: only the file systems' metadata is written.
        assertThat(run("du", "-k", disk.file.toString()).split("\\s")[0]).satisfies(k -> assertThat(Long.parseLong(k)).isLessThan(32 * 1024));
        assertThat(run("sfdisk", "--dump", disk.file.toString()))
                .contains("label: gpt")
                .containsPattern("disk\\.img1 : start=\\s+2048, size=\\s+131072, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, "
                        + "uuid=[0-9A-F-]+, name=\"stateless-rw\"")
                .containsPattern("disk\\.img2 : start=\\s+133120, size=\\s+262144, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, "
                        + "uuid=[0-9A-F-]+, name=\"stateless-state\"");
        for (DiskLayout.Partition p : layout.partitions()) {
            String probe = run("blkid", "-p", "-O", Long.toString(p.startBytes()), "-o", "export", disk.file.toString());
            assertThat(probe).contains("LABEL=" + p.label() + "\n", "TYPE=ext4\n");
        }
    }

    @Test
    void filesWrittenIntoAPartitionAreReadBackFromTheHostAndAMissingOneIsEmpty() throws Exception {
        GuestDisk disk = GuestDisk.create(tmp.resolve("disk.img"), layout);
        DiskLayout.Partition state = layout.partition(Role.STATE);
        Path marker = Files.writeString(tmp.resolve("marker"), "tok-1\n");
        String fs = disk.file + "?offset=" + state.startBytes();
        run("debugfs", "-w", "-R", "mkdir /var", fs);
        run("debugfs", "-w", "-R", "mkdir /var/log", fs);
        run("debugfs", "-w", "-R", "write " + marker + " /var/log/rocluster-bootcheck", fs);

        assertThat(disk.read(state, "/var/log/rocluster-bootcheck")).contains("tok-1\n");
        assertThat(disk.read(state, "/var/log/nothing-here")).isEmpty();
        // The other partition is another file system: the file is not there.
        assertThat(disk.read(layout.partition(Role.RW), "/var/log/rocluster-bootcheck")).isEmpty();
        assertThat(disk.files(state, 10)).containsExactly("var/log/rocluster-bootcheck");
        assertThat(disk.files(layout.partition(Role.RW), 10)).isEmpty();
        assertThat(tmp).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("rdump-"));
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}

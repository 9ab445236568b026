package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.readonly.DiskLayout.Partition;
import io.rocluster.readonly.DiskLayout.Role;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskLayoutTest {

    private static final long MIB = DiskLayout.MIB;
    private static final ImageSpec DISKFUL = SpecLoader.load(Path.of("examples/debian12-diskful.yaml"));

    @TempDir
    Path tmp;

    @Test
    void partitionsStartAtOneMibAndFollowEachOtherWithTheSpecsLabelsAndMounts() {
        DiskLayout d = DiskLayout.of(DISKFUL, 64 * MIB, 128 * MIB);

        assertThat(d.partitions()).containsExactly(
                new Partition(1, Role.RW, "stateless-rw", MIB, 64 * MIB, "/var/lib/stateless/writable"),
                new Partition(2, Role.STATE, "stateless-state", 65 * MIB, 128 * MIB, "/var/lib/stateless/state"));
        // The backup GPT needs the disk's last 33 sectors: a free MiB at the end.
        assertThat(d.diskBytes()).isEqualTo(194 * MIB);
        assertThat(d.partition(Role.STATE).startBytes()).isEqualTo(d.partition(Role.RW).startBytes() + 64 * MIB);
    }

    @Test
    void theSfdiskScriptNamesSizesInMibSoItMeansTheSameWhateverTheSectorSize() {
        assertThat(DiskLayout.of(DISKFUL, 64 * MIB, 128 * MIB).sfdiskScript()).isEqualTo("""
                label: gpt

                start=1MiB, size=64MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="stateless-rw"
                start=65MiB, size=128MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="stateless-state"
                """);
        // Without a state size the state partition takes the rest of the disk.
        assertThat(DiskLayout.of(DISKFUL, 2048 * MIB, 0).sfdiskScript()).endsWith(
                "start=2049MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"stateless-state\"\n");
    }

    @Test
    void eachFileSystemIsAnExt4CarryingItsLabel() {
        DiskLayout d = DiskLayout.of(DISKFUL, 64 * MIB, 0);
        assertThat(DiskLayout.mkfs(d.partition(Role.RW))).containsExactly("mke2fs", "-t", "ext4", "-L", "stateless-rw");
        assertThat(DiskLayout.mkfs(d.partition(Role.STATE))).containsExactly("mke2fs", "-t", "ext4", "-L", "stateless-state");
        assertThat(DiskLayout.sfdisk()).containsExactly("sfdisk", "--wipe", "always", "--wipe-partitions", "always");
    }

    @Test
    void theLabelsComeFromTheSpec() {
        String yaml = read("examples/debian12-diskful.yaml");
        Path spec = write("custom.yaml", yaml.replace("rwLabel: stateless-rw", "rwLabel: node-scratch")
                .replace("stateLabel: stateless-state", "stateLabel: node-state"));
        DiskLayout d = DiskLayout.of(SpecLoader.load(spec), 64 * MIB, 0);
        assertThat(d.partitions()).extracting(Partition::label).containsExactly("node-scratch", "node-state");
        assertThat(d.adminScript()).contains("mke2fs -t ext4 -L node-scratch \"$(part 1)\"\n",
                "mke2fs -t ext4 -L node-state \"$(part 2)\"\n", "name=\"node-scratch\"");
    }

    @Test
    void theAdminScriptPartitionsTheNamedDiskThenMakesBothFileSystems() throws Exception {
        String script = DiskLayout.of(DISKFUL, 1024 * MIB, 0).adminScript();

        assertThat(script).startsWith("#!/bin/sh\n# Local disk of a diskful client of image compute-debian12-diskful,\n")
                .contains("#   partition 1: 1 GiB, ext4 labelled stateless-rw (RW_LABEL)\n"
                        + "#     the writable area (rwtab), wiped at every boot; mounted on /var/lib/stateless/writable\n")
                .contains("#   partition 2: the rest of the disk, ext4 labelled stateless-state (STATE_LABEL)\n"
                        + "#     the client's state (statetab), kept across boots; mounted on /var/lib/stateless/state\n")
                .contains("#   parted -s \"$DISK\" mklabel gpt mkpart stateless-rw ext4 1MiB 1025MiB "
                        + "mkpart stateless-state ext4 1025MiB 100%\n")
                .contains("sfdisk --wipe always --wipe-partitions always \"$DISK\" <<'EOF'\n"
                        + DiskLayout.of(DISKFUL, 1024 * MIB, 0).sfdiskScript() + "EOF\n");
        assertThat(script.indexOf("sfdisk --wipe")).isLessThan(script.indexOf("mke2fs -t ext4 -L stateless-rw"));
        for (String l : script.lines().toList()) {
            assertThat(l.length()).as(l).isLessThanOrEqualTo(120);
        }

        Path file = write("disk-layout.sh", script);
        assertThat(sh(file, null)).as("no DISK: refused before anything runs").contains("name the client's local disk");
        Path notADisk = write("plain-file", "x");
        assertThat(sh(file, notADisk.toString())).contains(notADisk + " is not a block device");
        assertThat(notADisk).hasContent("x");
    }

    @Test
    void theKernelsPartitionNamesAreUsedForSdaAndForNvme() throws Exception {
        String script = DiskLayout.of(DISKFUL, 64 * MIB, 0).adminScript();
        String part = script.lines().filter(l -> l.startsWith("part()")).findFirst().orElseThrow();
        Path f = write("part.sh", part + "\nDISK=/dev/sda; part 2\nDISK=/dev/nvme0n1; part 1\nDISK=/dev/mmcblk0; part 2\n");
        Process p = new ProcessBuilder("sh", f.toString()).redirectErrorStream(true).start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("/dev/sda2\n/dev/nvme0n1p1\n/dev/mmcblk0p2\n");
    }

    @Test
    void aDisklessSpecOrAnOddSizeIsRefusedWithOneLine() {
        ImageSpec diskless = SpecLoader.load(Path.of("examples/debian12.yaml"));
        assertThatThrownBy(() -> DiskLayout.of(diskless, 64 * MIB, 0)).isInstanceOf(RoclusterException.class)
                .hasMessage("image compute-debian12 is diskless (readonly.mode: diskless): its clients have no local "
                        + "partitions; set readonly.mode: diskful with rwLabel and stateLabel for a disk layout");
        assertThatThrownBy(() -> DiskLayout.of(DISKFUL, 8 * MIB, 0)).isInstanceOf(RoclusterException.class)
                .hasMessageContaining("the RW partition must be a whole number of MiB, at least 16 MiB");
        assertThatThrownBy(() -> DiskLayout.of(DISKFUL, 64 * MIB, 100 * MIB + 512)).isInstanceOf(RoclusterException.class)
                .hasMessageContaining("the state partition must be a whole number of MiB");
        assertThatThrownBy(() -> DiskLayout.of(DISKFUL, 64 * MIB, 0).diskBytes()).isInstanceOf(IllegalStateException.class);
    }

    private String sh(Path script, String disk) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
        pb.environment().remove("DISK");
        if (disk != null) {
            pb.environment().put("DISK", disk);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        return out;
    }

    private Path write(String name, String text) {
        try {
            return Files.writeString(tmp.resolve(name), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

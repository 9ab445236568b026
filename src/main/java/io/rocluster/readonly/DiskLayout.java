package io.rocluster.readonly;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rocluster.RoclusterException;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageSpec.Mode;
import java.util.ArrayList;
import java.util.List;

/**
 * The local disk of a diskful client: a GPT with two ext4 partitions whose file system labels are the spec's
 * {@code rwLabel} and {@code stateLabel}, which the image's readonly-root service (EL7's rhel-readonly, or
 * rocluster's on debian12) finds with {@code blkid -t LABEL=…} at every boot (FACTS: "Diskful: partitions
 * labelled stateless-rw and stateless-state"). The one description both of what an administrator runs once on
 * a client ({@link #adminScript}, {@code rocluster render disk-layout}) and of what the diskful boot test builds
 * in a disk image file ({@link #sfdiskScript}, {@link #mkfs}): the two can never disagree.
 *
 * <p>Partitions start at 1 MiB and are whole MiB long (the alignment every partitioning tool uses, whatever the
 * sector size); the last MiB of a disk of {@link #diskBytes} stays free for the backup GPT.
 *
 * @param image      the image name (for the comments)
 * @param partitions partition 1 for the RW area, partition 2 for the state
 */
public record DiskLayout(String image, List<Partition> partitions) {

    /** One mebibyte, the unit and alignment of every offset and size here. */
    public static final long MIB = 1L << 20;
    /** The smallest partition offered: an ext4 with a journal and room for the rwtab copies or a small /var/log. */
    public static final long MIN_PARTITION = 16 * MIB;
    /** The RW area when no size is given: the rwtab copies (/var/lib/systemd, /var/spool…) and what daemons write. */
    public static final long DEFAULT_RW = 1024 * MIB;
    /** GPT's Linux file system partition type. */
    static final String LINUX_FS = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

    public DiskLayout {
        partitions = List.copyOf(partitions);
    }

    /** What a partition is for, with the readonly-root variable that names its label. */
    public enum Role {
        @JsonProperty("rw") RW("RW_LABEL", "the writable area (rwtab), wiped at every boot"),
        @JsonProperty("state") STATE("STATE_LABEL", "the client's state (statetab), kept across boots");

        private final String variable;
        private final String purpose;

        Role(String variable, String purpose) {
            this.variable = variable;
            this.purpose = purpose;
        }

        /** The /etc/sysconfig/readonly-root variable holding the label. */
        public String variable() {
            return variable;
        }

        /** What the partition holds, in a few words. */
        public String purpose() {
            return purpose;
        }
    }

    /**
     * One partition.
     *
     * @param number     partition number (1, 2)
     * @param role       RW area or state
     * @param label      the ext4 file system label (and the GPT partition name)
     * @param startBytes offset from the start of the disk
     * @param sizeBytes  length; 0 for "the rest of the disk" (only the last partition, only for real disks)
     * @param mountPoint where readonly-root mounts it (RW_MOUNT, STATE_MOUNT)
     */
    public record Partition(int number, Role role, String label, long startBytes, long sizeBytes, String mountPoint) {

        /** The sfdisk script line for this partition. */
        String sfdiskLine() {
            return "start=" + startBytes / MIB + "MiB, " + (sizeBytes == 0 ? "" : "size=" + sizeBytes / MIB + "MiB, ")
                    + "type=" + LINUX_FS + ", name=\"" + label + "\"";
        }
    }

    /**
     * The layout for a diskful spec.
     *
     * @param rwBytes    size of the RW partition
     * @param stateBytes size of the state partition; 0 gives it the rest of the disk
     * @throws RoclusterException when the spec is not diskful or a size is not a whole number of MiB of at least
     *                            {@link #MIN_PARTITION}
     */
    public static DiskLayout of(ImageSpec spec, long rwBytes, long stateBytes) {
        ImageSpec.ReadOnly r = spec.readonly();
        if (r.mode() != Mode.DISKFUL) {
            throw new RoclusterException("image " + spec.name() + " is diskless (readonly.mode: diskless): its clients "
                    + "have no local partitions; set readonly.mode: diskful with rwLabel and stateLabel for a disk layout");
        }
        checkSize("RW", rwBytes);
        if (stateBytes != 0) {
            checkSize("state", stateBytes);
        }
        Partition rw = new Partition(1, Role.RW, r.rwLabel(), MIB, rwBytes, r.rwMount());
        Partition state = new Partition(2, Role.STATE, r.stateLabel(), MIB + rwBytes, stateBytes, r.stateMount());
        return new DiskLayout(spec.name(), List.of(rw, state));
    }

    private static void checkSize(String what, long bytes) {
        if (bytes < MIN_PARTITION || bytes % MIB != 0) {
            throw new RoclusterException("the " + what + " partition must be a whole number of MiB, at least "
                    + MIN_PARTITION / MIB + " MiB (e.g. 512M or 2G), not " + bytes + " bytes");
        }
    }

    /** The partition for {@code role}. */
    public Partition partition(Role role) {
        return partitions.stream().filter(p -> p.role() == role).findFirst().orElseThrow();
    }

    /** Whether every partition has a fixed size (so the layout fits a disk image file of {@link #diskBytes}). */
    public boolean fixedSize() {
        return partitions.stream().allMatch(p -> p.sizeBytes() > 0);
    }

    /** The smallest disk that holds the layout: the partitions and a free MiB at the end for the backup GPT. */
    public long diskBytes() {
        if (!fixedSize()) {
            throw new IllegalStateException("the last partition takes the rest of the disk: no fixed disk size");
        }
        Partition last = partitions.get(partitions.size() - 1);
        return last.startBytes() + last.sizeBytes() + MIB;
    }

    /**
     * The partition table as an sfdisk script (util-linux 2.26 or later): sizes in MiB, so it means the same on a
     * disk of 512-byte or of 4096-byte sectors.
     */
    public String sfdiskScript() {
        StringBuilder sb = new StringBuilder("label: gpt\n\n");
        partitions.forEach(p -> sb.append(p.sfdiskLine()).append('\n'));
        return sb.toString();
    }

    /**
     * The sfdisk command line before the device: old signatures are wiped from the disk and from the new
     * partitions, so mke2fs finds nothing to ask about.
     */
    public static List<String> sfdisk() {
        return List.of("sfdisk", "--wipe", "always", "--wipe-partitions", "always");
    }

    /** The mke2fs command line before the device: ext4 carrying the partition's label. */
    public static List<String> mkfs(Partition p) {
        return List.of("mke2fs", "-t", "ext4", "-L", p.label());
    }

    /**
     * The same partitions as a parted command (parted 3.1, CentOS 7, has no sfdisk that reads scripts: its
     * util-linux is 2.23).
     */
    public String partedCommand() {
        List<String> words = new ArrayList<>(List.of("parted", "-s", "\"$DISK\"", "mklabel", "gpt"));
        for (Partition p : partitions) {
            words.addAll(List.of("mkpart", p.label(), "ext4", p.startBytes() / MIB + "MiB",
                    p.sizeBytes() == 0 ? "100%" : (p.startBytes() + p.sizeBytes()) / MIB + "MiB"));
        }
        return String.join(" ", words);
    }

    /**
     * The shell script an administrator runs once on each diskful client, as root, with {@code DISK} naming the
     * client's local disk: partitions it and makes both file systems with their labels.
     */
    public String adminScript() {
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/sh\n");
        sb.append("# Local disk of a diskful client of image ").append(image).append(",\n");
        sb.append("# rendered by rocluster from the image spec (readonly: rwLabel, stateLabel, rwMount, stateMount).\n");
        sb.append("# At every boot the image's readonly-root service finds both file systems by their label:\n");
        for (Partition p : partitions) {
            sb.append("#   partition ").append(p.number()).append(": ").append(size(p)).append(", ext4 labelled ")
                    .append(p.label()).append(" (").append(p.role().variable()).append(")\n#     ")
                    .append(p.role().purpose()).append("; mounted on ").append(p.mountPoint()).append('\n');
        }
        sb.append("# Run it once per client, as root, naming its local disk. EVERYTHING ON THAT DISK IS LOST.\n");
        sb.append("#   rocluster render disk-layout --spec SPEC > disk-layout.sh; DISK=/dev/sda sh disk-layout.sh\n");
        sb.append("# Needs sfdisk from util-linux 2.28 or later, and mke2fs (e2fsprogs). CentOS 7's sfdisk reads\n");
        sb.append("# another format: there, make the same partitions with\n");
        sb.append("#   ").append(partedCommand()).append('\n');
        sb.append("# then run the two mke2fs lines below.\n");
        sb.append("set -eu\n");
        sb.append(": \"${DISK:?name the client's local disk, e.g. DISK=/dev/sda}\"\n");
        sb.append("[ -b \"$DISK\" ] || { echo \"$DISK is not a block device\" >&2; exit 1; }\n");
        sb.append("# The kernel names partitions of sda sda1, of nvme0n1 nvme0n1p1.\n");
        sb.append("part() { case \"$DISK\" in *[0-9]) echo \"${DISK}p$1\" ;; *) echo \"$DISK$1\" ;; esac; }\n");
        sb.append(String.join(" ", sfdisk())).append(" \"$DISK\" <<'EOF'\n");
        sb.append(sfdiskScript());
        sb.append("EOF\n");
        sb.append("# Wait for the partitions' device nodes.\n");
        sb.append("command -v udevadm >/dev/null && udevadm settle\n");
        for (Partition p : partitions) {
            sb.append(String.join(" ", mkfs(p))).append(" \"$(part ").append(p.number()).append(")\"\n");
        }
        return sb.toString();
    }

    private static String size(Partition p) {
        if (p.sizeBytes() == 0) {
            return "the rest of the disk";
        }
        long mib = p.sizeBytes() / MIB;
        return mib % 1024 == 0 ? mib / 1024 + " GiB" : mib + " MiB";
    }
}

package io.rocluster.boot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rocluster.readonly.DiskLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one boot test, as written to {@code images/<v>/boot-test.json}. {@code promote
 * --require-boot-test} reads {@code version} and {@code passed}; the rest is for people.
 *
 * @param version         the version booted
 * @param passed          whether every check passed
 * @param reason          one line: what passed, or every check that failed
 * @param mode            {@code pxe} or {@code direct-kernel}
 * @param startedAt       start of the test, ISO-8601 UTC
 * @param durationSeconds wall time of the whole test (server start to clean-up)
 * @param facts           what was observed (a diskless boot; null for a diskful test, whose boots each have
 *                        theirs in {@code diskful})
 * @param diskful         a diskful test: the disk, each boot on it, the master's state directory; else null
 */
public record BootVerdict(String version, boolean passed, String reason, String mode, String startedAt,
        long durationSeconds, Facts facts, Diskful diskful) {

    /** A diskless verdict. */
    public BootVerdict(String version, boolean passed, String reason, String mode, String startedAt,
            long durationSeconds, Facts facts) {
        this(version, passed, reason, mode, startedAt, durationSeconds, facts, null);
    }

    // Pretty JSON for the people who read boot-test.json; every field, null or not, so its shape is fixed.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    /** The verdict as {@code boot-test.json} holds it. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The verdict as a few lines for a terminal. */
    public List<String> summary() {
        List<String> out = new ArrayList<>();
        if (diskful != null) {
            out.add("boot-test " + version + ": " + (passed ? "PASSED" : "FAILED") + " (" + mode + ", diskful, "
                    + diskful.boots().size() + " boots, " + durationSeconds + " s)");
            out.add("  " + reason);
            for (DiskBoot b : diskful.boots()) {
                out.add("  boot " + b.boot() + ": " + (b.passed() ? "passed" : "FAILED: " + b.reason()));
                for (Served s : b.served()) {
                    out.add("    " + s.role() + " area " + s.mountPoint() + ": " + s.device() + " " + s.fstype()
                            + (s.label().isEmpty() ? "" : " label " + s.label()) + " (" + s.paths().size() + " paths bound)");
                }
                facts(b.facts(), out, "    ");
            }
            out.add("  master " + diskful.masterState().directory() + ": "
                    + (diskful.masterState().untouched() ? "untouched" : String.join(", ", diskful.masterState().changes())));
            return out;
        }
        out.add("boot-test " + version + ": " + (passed ? "PASSED" : "FAILED") + " (" + mode + ", " + durationSeconds
                + " s; boot " + facts.bootSeconds() + " s; " + facts.accelerator() + ")");
        out.add("  " + reason);
        facts(facts, out, "  ");
        return out;
    }

    private static void facts(Facts f, List<String> out, String indent) {
        List<String> lines = new ArrayList<>();
        lines.add("reached: " + f.stageReached());
        if (f.root() != null) {
            lines.add("root: " + f.root().source() + " " + f.root().fstype() + " (" + f.root().options() + ")");
        }
        if (f.systemState() != null) {
            lines.add("system: " + f.systemState() + ", multi-user " + (Boolean.TRUE.equals(f.multiUser()) ? "yes" : "no")
                    + ", failed units: " + (f.failedUnits().isEmpty() ? "none" : String.join(" ", f.failedUnits())));
        }
        lines.add("rwtab writable: " + f.rwtabWritable().size() + (f.rwtabNotWritable().isEmpty() ? ""
                : ", not writable: " + String.join(" ", f.rwtabNotWritable()))
                + (f.rwtabSymlinks().isEmpty() ? "" : "; symlinks (a bind mount cannot make them writable): "
                        + String.join(" ", f.rwtabSymlinks())));
        lines.add("statetab persisted in " + f.stateDirectory() + ": " + String.join(" ", f.statetabPersisted())
                + (f.statetabMissing().isEmpty() ? "" : "; missing: " + String.join(" ", f.statetabMissing())));
        lines.add("console log: " + f.consoleLog());
        lines.forEach(l -> out.add(indent + l));
    }

    /**
     * A diskful test: the guest's local disk, and two boots on it.
     *
     * @param disk        the partitions of the test disk (rocluster's disk layout for the spec)
     * @param boots       each boot, in order
     * @param masterState the client's state directory on the master, which a diskful client must leave alone
     */
    public record Diskful(List<DiskLayout.Partition> disk, List<DiskBoot> boots, MasterState masterState) {}

    /**
     * One boot of a diskful test.
     *
     * @param boot         1 for the first boot on the fresh disk, 2 for the reboot
     * @param token        the boot's token (what it wrote as its markers)
     * @param passed       whether every check of this boot held
     * @param reason       what failed, or what held
     * @param served       which partition served which area, as the guest's mount table says
     * @param rwLeftover   the marker the guest found in the RW area before writing its own: empty when
     *                     readonly-root wiped the area (the reboot must find boot 1's gone)
     * @param stateCarried (reboot) each statetab marker an earlier boot wrote, and what this boot found
     * @param onDisk       the markers read from the disk image on the host after the guest powered off
     * @param blockMounts  the guest's mount table lines of local block devices
     * @param facts        the boot's facts, as for a diskless boot (statetab "persisted" meaning: on the state
     *                     partition)
     */
    public record DiskBoot(int boot, String token, boolean passed, String reason, List<Served> served,
            String rwLeftover, List<Carried> stateCarried, List<OnDisk> onDisk, List<String> blockMounts, Facts facts) {}

    /**
     * Which partition served an area.
     *
     * @param role       rw or state
     * @param mountPoint RW_MOUNT or STATE_MOUNT
     * @param device     the mount's source in the guest, e.g. /dev/vda1
     * @param fstype     its file system type
     * @param label      its file system label
     * @param paths      the rwtab or statetab paths bound from it
     */
    public record Served(String role, String mountPoint, String device, String fstype, String label, List<String> paths) {}

    /**
     * A statetab marker across a reboot.
     *
     * @param path     the statetab path
     * @param expected the token the earlier boot wrote there
     * @param found    what this boot found there before writing its own
     * @param kept     whether they agree
     */
    public record Carried(String path, String expected, String found, boolean kept) {}

    /**
     * A file read from a partition of the test disk on the host (debugfs), after the guest powered off.
     *
     * @param partition the partition's label
     * @param path      the path inside its file system
     * @param content   what it holds (stripped), or null when it does not exist
     */
    public record OnDisk(String partition, String path, String content) {}

    /**
     * The client's state directory on the master, compared before the first boot and after the last.
     *
     * @param directory the directory
     * @param untouched whether nothing in it was added, changed or removed
     * @param changes   what was (at most 20 entries)
     */
    public record MasterState(String directory, boolean untouched, List<String> changes) {}

    /**
     * What the test saw, from the console and from the host.
     *
     * @param clientName        the DHCP host name given to the guest
     * @param accelerator       tcg or kvm, and why
     * @param stageReached      the furthest boot stage seen on the console
     * @param bootSeconds       from QEMU start to the boot-check report (or to the end, without one)
     * @param poweredOff        whether the guest powered itself off (else it was stopped)
     * @param hostname          the host name the guest reported
     * @param systemState       {@code systemctl is-system-running} in the guest
     * @param multiUser         whether multi-user.target was active
     * @param failedUnits       failed units in the guest
     * @param pendingJobs       start jobs still queued when the guest reported
     * @param root              how / was mounted in the guest
     * @param rwtabWritable     rwtab paths a write succeeded in
     * @param rwtabNotWritable  rwtab paths a write failed in
     * @param rwtabSymlinks     rwtab paths that are symlinks in the image: a bind mount cannot make them
     *                          writable (it follows them), on EL7 as here; listed, not held against the image
     * @param statetabPersisted statetab paths whose marker the host found in the client's state directory
     *                          (diskful: on the state partition)
     * @param statetabMissing   statetab paths not bound from the state area, or whose marker did not reach it
     * @param stateDirectory    the client's state directory on the master (diskful: the state partition)
     * @param stateFiles        files under it after the test (relative, at most 200)
     * @param evidence          console lines showing each boot step
     * @param errors            error lines seen on the console
     * @param initramfsProblems what the initramfs lacks to mount an NFS root (read from the file), if anything
     * @param consoleLog        the serial console log kept beside the verdict
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Facts(
            String clientName,
            String accelerator,
            String stageReached,
            long bootSeconds,
            boolean poweredOff,
            String hostname,
            String systemState,
            Boolean multiUser,
            List<String> failedUnits,
            List<String> pendingJobs,
            BootCheckReport.Root root,
            List<String> rwtabWritable,
            List<String> rwtabNotWritable,
            List<String> rwtabSymlinks,
            List<String> statetabPersisted,
            List<String> statetabMissing,
            String stateDirectory,
            List<String> stateFiles,
            List<String> evidence,
            List<String> errors,
            List<String> initramfsProblems,
            String consoleLog) {}
}

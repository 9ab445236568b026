package io.rocluster.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * What the image's boot-check unit ({@code /usr/libexec/rocluster/bootcheck}) reported on the console,
 * as one line {@code ROCLUSTER-BOOTCHECK {json}}: the facts the guest alone can see.
 *
 * @param token       the {@code rocluster.boottest=TOKEN} value this boot was given
 * @param hostname    the guest's host name (its DHCP name: the state directory it uses)
 * @param kernel      {@code uname -r}
 * @param systemState {@code systemctl is-system-running} once the boot settled (running, degraded…)
 * @param multiUser   whether multi-user.target is active
 * @param pendingJobs start jobs still queued when the check gave up waiting
 * @param failedUnits units in the failed state
 * @param root        how / is mounted
 * @param rwtab       each rwtab path present in the image, and whether it is writable
 * @param statetab    each statetab path present in the image, whether it is bound from the state area,
 *                    and the marker file the check wrote into it (empty for a plain file)
 * @param areas       the RW area (RW_MOUNT) and the state area (STATE_MOUNT): what is mounted there
 * @param blockMounts the mount table lines ({@code /proc/self/mounts}) of local block devices
 */
public record BootCheckReport(
        String token,
        String hostname,
        String kernel,
        String systemState,
        boolean multiUser,
        List<String> pendingJobs,
        List<String> failedUnits,
        Root root,
        List<RwPath> rwtab,
        List<StatePath> statetab,
        List<Area> areas,
        List<String> blockMounts) {

    /** The console marker that starts the report line. */
    public static final String MARKER = "ROCLUSTER-BOOTCHECK ";

    // Older or newer images may report more or fewer facts; judge what is there.
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public BootCheckReport {
        pendingJobs = pendingJobs == null ? List.of() : List.copyOf(pendingJobs);
        failedUnits = failedUnits == null ? List.of() : List.copyOf(failedUnits);
        root = root == null ? new Root("", "", "", false, false) : root;
        rwtab = rwtab == null ? List.of() : List.copyOf(rwtab);
        statetab = statetab == null ? List.of() : List.copyOf(statetab);
        areas = areas == null ? List.of() : List.copyOf(areas);
        blockMounts = blockMounts == null ? List.of() : List.copyOf(blockMounts);
    }

    /** The area of that role ({@code rw} or {@code state}), if the guest reported it. */
    public Optional<Area> area(String role) {
        return areas.stream().filter(a -> a.role().equals(role)).findFirst();
    }

    /**
     * The / mount as the guest's processes see it.
     *
     * @param source       e.g. {@code 10.0.2.2:/data/cluster/images/v1/root}
     * @param fstype       e.g. {@code nfs4}
     * @param options      per-mount options, e.g. {@code ro,relatime}
     * @param readOnly     whether the options say {@code ro}
     * @param writeRefused whether creating a file in / actually failed
     */
    public record Root(String source, String fstype, String options, boolean readOnly, boolean writeRefused) {}

    /**
     * One rwtab entry: its kind (empty, dirs, files), path, whether a write there succeeded, whether the
     * path is a symlink in the image (a bind mount follows it to its read-only target, so it is not probed),
     * and the source of the mount it lies on (a diskful client's RW partition, e.g. {@code /dev/vda1}).
     */
    public record RwPath(String kind, String path, boolean writable, boolean symlink, String source) {

        public RwPath {
            source = source == null ? "" : source;
        }
    }

    /**
     * One statetab entry: path, whether it is a mount point, the marker written into it, the source of the mount
     * it lies on, and what the marker held before this boot wrote it (an earlier boot's token, or empty).
     */
    public record StatePath(String path, boolean mounted, String marker, String source, String previous) {

        public StatePath {
            source = source == null ? "" : source;
            previous = previous == null ? "" : previous.strip();
        }
    }

    /**
     * The RW or the state area as the guest saw it.
     *
     * @param role     {@code rw} or {@code state}
     * @param mount    RW_MOUNT or STATE_MOUNT
     * @param mounted  whether something is mounted there
     * @param source   the mount's source ({@code /dev/vda1}, {@code none} for a tmpfs, {@code server:/path})
     * @param fstype   its file system type
     * @param label    the file system label of the source, when it is a block device
     * @param previous (RW area) the marker an earlier boot left there, read before this boot wrote its own:
     *                 empty when readonly-root wiped the area
     * @param written  (RW area) whether this boot's marker was written there
     */
    public record Area(String role, String mount, boolean mounted, String source, String fstype, String label,
            String previous, boolean written) {

        public Area {
            source = source == null ? "" : source;
            fstype = fstype == null ? "" : fstype;
            label = label == null ? "" : label;
            previous = previous == null ? "" : previous.strip();
        }
    }

    /**
     * Finds and parses a report in one console line (the marker may follow other output on the line,
     * e.g. a login prompt).
     *
     * @return empty when the line holds no marker
     * @throws IllegalArgumentException when the marker is there but the JSON is not
     */
    public static Optional<BootCheckReport> parse(String line) {
        int at = line.indexOf(MARKER);
        if (at < 0) {
            return Optional.empty();
        }
        String json = line.substring(at + MARKER.length()).strip();
        try {
            return Optional.of(JSON.readValue(json, BootCheckReport.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("garbled boot-check report: " + e.getOriginalMessage(), e);
        }
    }
}

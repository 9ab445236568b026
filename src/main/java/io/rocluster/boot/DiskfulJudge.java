package io.rocluster.boot;

import io.rocluster.boot.BootVerdict.Carried;
import io.rocluster.boot.BootVerdict.DiskBoot;
import io.rocluster.boot.BootVerdict.OnDisk;
import io.rocluster.boot.BootVerdict.Served;
import io.rocluster.readonly.DiskLayout;
import io.rocluster.readonly.DiskLayout.Partition;
import io.rocluster.readonly.DiskLayout.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Judges a diskful boot test: the boots of one client on one local disk. Each boot passes the checks every
 * boot passes ({@link BootJudge#common}) and shows, from the guest's mount table, that the RW area is the
 * partition labelled {@code rwLabel} with every rwtab path bound from it, and that the state area is the
 * partition labelled {@code stateLabel} with every statetab path bound from it. The host then reads the
 * disk image (the guest is gone): this boot's markers are on those partitions. A reboot must find what the
 * previous boot wrote in its statetab paths still there, and the RW area wiped, as initscripts' rhel-readonly
 * does with a labelled RW partition ({@code rm -rf} of it once mounted). Finally the client's directory on the
 * master must be as it was: a diskful client's state never goes there.
 */
final class DiskfulJudge {

    /** Where the boot check writes its marker, in the RW area and in each statetab directory. */
    static final String MARKER = "rocluster-bootcheck";
    private static final int MAX_CHANGES = 20;

    private DiskfulJudge() {}

    /** The files of the test disk's partitions, as the host reads them. */
    interface PartitionFiles {
        /** The content of one file; empty when it does not exist. */
        Optional<String> read(Partition partition, String path) throws IOException;

        /** Every file of one partition (relative paths, sorted, at most {@code limit}). */
        List<String> files(Partition partition, int limit) throws IOException;
    }

    /**
     * Judges boot {@code n} right after the guest powered off, before the next boot changes the disk.
     *
     * @param previous the boot before this one on the same disk, or null for the first
     */
    static DiskBoot boot(BootTestRequest req, int n, ConsoleWatch console, BootJudge.Ending ending, Accelerator accel,
            PartitionFiles disk, DiskBoot previous, String keptLog, List<String> initramfsProblems) throws IOException {
        BootJudge.Common c = BootJudge.common(req, console, ending, initramfsProblems);
        List<String> failures = new ArrayList<>(c.failures());
        DiskLayout layout = req.disk();
        Partition rwPart = layout.partition(Role.RW);
        Partition statePart = layout.partition(Role.STATE);
        List<Served> served = new ArrayList<>();
        List<Carried> carried = new ArrayList<>();
        List<OnDisk> onDisk = new ArrayList<>();
        List<String> stOk = new ArrayList<>();
        List<String> stBad = new ArrayList<>();
        String rwLeftover = "";
        List<String> blockMounts = List.of();
        List<String> notes = new ArrayList<>();

        Optional<BootCheckReport> maybeReport = console.report();
        if (maybeReport.isPresent()) {
            BootCheckReport r = maybeReport.get();
            blockMounts = r.blockMounts();
            BootCheckReport.Area rw = r.area("rw").orElse(null);
            BootCheckReport.Area state = r.area("state").orElse(null);
            String rwDevice = area(rw, rwPart, failures);
            String stateDevice = area(state, statePart, failures);

            // rwtab: every path bound from the RW partition.
            List<String> rwPaths = new ArrayList<>();
            List<String> rwElsewhere = new ArrayList<>();
            for (BootCheckReport.RwPath p : r.rwtab()) {
                if (p.symlink()) {
                    continue;
                }
                if (rwDevice != null && p.source().equals(rwDevice)) {
                    rwPaths.add(p.path());
                } else {
                    rwElsewhere.add(p.path() + " (from " + (p.source().isEmpty() ? "?" : p.source()) + ")");
                }
            }
            if (rwDevice != null && !rwElsewhere.isEmpty()) {
                failures.add("rwtab paths not bound from the " + rwPart.label() + " partition (" + rwDevice + "): "
                        + String.join(", ", rwElsewhere));
            }
            if (rw != null) {
                served.add(new Served("rw", rw.mount(), rw.source(), rw.fstype(), rw.label(), rwPaths));
                rwLeftover = rw.previous();
            }

            // The RW area: wiped before this boot, and this boot's marker on the partition.
            if (!rwLeftover.isEmpty()) {
                failures.add("the RW area still held the marker '" + rwLeftover + "' of an earlier boot: readonly-root did "
                        + "not wipe the " + rwPart.label() + " partition at boot (initscripts wipes a labelled RW area)");
            } else if (previous != null) {
                notes.add("boot " + previous.boot() + "'s marker wiped from the RW area");
            }
            if (rwDevice != null) {
                String rwMarker = "/" + MARKER;
                Optional<String> got = disk.read(rwPart, rwMarker);
                onDisk.add(new OnDisk(rwPart.label(), rwMarker, got.map(String::strip).orElse(null)));
                if (!rw.written()) {
                    failures.add("the boot check could not write into the RW area " + rw.mount());
                } else if (!got.map(String::strip).orElse("").equals(req.token())) {
                    failures.add("this boot's marker in the RW area is not on the " + rwPart.label() + " partition (found "
                            + got.map(g -> "'" + g.strip() + "'").orElse("nothing") + " at " + rwMarker + ")");
                }
            }

            // statetab: every path bound from the state partition, its marker there.
            List<String> statePaths = new ArrayList<>();
            for (BootCheckReport.StatePath p : r.statetab()) {
                boolean fromPartition = stateDevice != null && p.mounted() && p.source().equals(stateDevice);
                boolean markerThere = true;
                if (fromPartition && !p.marker().isEmpty()) {
                    Optional<String> got = disk.read(statePart, p.marker());
                    onDisk.add(new OnDisk(statePart.label(), p.marker(), got.map(String::strip).orElse(null)));
                    markerThere = got.map(String::strip).orElse("").equals(req.token());
                }
                if (fromPartition) {
                    statePaths.add(p.path());
                }
                (fromPartition && markerThere ? stOk : stBad).add(p.path());
            }
            if (state != null) {
                served.add(new Served("state", state.mount(), state.source(), state.fstype(), state.label(), statePaths));
            }
            if (r.statetab().isEmpty()) {
                failures.add("no statetab path exists in the image: nothing is kept on the " + statePart.label()
                        + " partition (statetab in the spec)");
            } else if (!stBad.isEmpty() && stateDevice != null) {
                failures.add("statetab paths not kept on the " + statePart.label() + " partition (" + stateDevice + "): "
                        + String.join(", ", stBad));
            }

            // A reboot: what the boot before wrote in its statetab directories is still there.
            if (previous != null) {
                for (BootCheckReport.StatePath p : r.statetab()) {
                    if (!p.marker().isEmpty() && previous.facts().statetabPersisted().contains(p.path())) {
                        carried.add(new Carried(p.path(), previous.token(), p.previous(), p.previous().equals(previous.token())));
                    }
                }
                List<String> lost = carried.stream().filter(k -> !k.kept())
                        .map(k -> k.path() + " (found '" + k.found() + "')").toList();
                if (!lost.isEmpty()) {
                    failures.add("what boot " + previous.boot() + " wrote in its statetab paths is gone after the reboot: "
                            + String.join(", ", lost));
                } else if (!carried.isEmpty()) {
                    notes.add("boot " + previous.boot() + "'s markers still in "
                            + String.join(", ", carried.stream().map(Carried::path).toList()));
                }
            }
        }

        boolean passed = failures.isEmpty();
        String reason;
        if (passed) {
            Served rw = served.get(0);
            Served st = served.get(1);
            reason = "NFS root read-only, multi-user, no failed units; RW area " + rw.device() + " (" + rw.label() + ") on "
                    + rw.mountPoint() + " with " + rw.paths().size() + " rwtab paths writable; state " + st.device() + " ("
                    + st.label() + ") on " + st.mountPoint() + " with " + st.paths().size() + " statetab paths kept"
                    + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        } else {
            reason = String.join("; ", failures);
        }
        // What the state partition holds after this boot: the reboot's list shows the first boot's files too.
        List<String> stateFiles = maybeReport.isPresent() ? disk.files(statePart, BootJudge.MAX_STATE_FILES) : List.of();
        BootVerdict.Facts facts = BootJudge.facts(req, console, ending, accel, c, stOk, stBad,
                "partition " + statePart.number() + " (" + statePart.label() + ") of the test disk", stateFiles, keptLog,
                initramfsProblems);
        return new DiskBoot(n, req.token(), passed, reason, served, rwLeftover, carried, onDisk, blockMounts, facts);
    }

    /**
     * The device of an area when it is the partition expected there (mounted, a block device with that label,
     * ext4); else null, with the failure said.
     */
    private static String area(BootCheckReport.Area a, Partition want, List<String> failures) {
        String what = want.role() == Role.RW ? "the RW area" : "the state area";
        if (a == null) {
            failures.add("the boot check did not report " + what + " (an image built by an older rocluster: rebuild it)");
            return null;
        }
        String hint = ": readonly-root found no partition labelled " + want.label() + " at boot (does the initramfs "
                + "load the disk's driver? spec initramfs.drivers, e.g. virtio_blk)";
        if (!a.mount().equals(want.mountPoint())) {
            failures.add(what + " is on " + a.mount() + " in the image, not on " + want.mountPoint() + " as its spec says");
        } else if (!a.mounted()) {
            failures.add(what + " " + a.mount() + " is not mounted" + hint);
        } else if (!a.source().startsWith("/dev/")) {
            failures.add(what + " on " + a.mount() + " is " + a.fstype() + " from " + a.source() + ", not the partition"
                    + hint);
        } else if (!a.label().equals(want.label())) {
            failures.add(what + " on " + a.mount() + " comes from " + a.source() + " labelled '" + a.label() + "', not "
                    + want.label());
        } else if (!a.fstype().equals("ext4")) {
            failures.add(what + " on " + a.mount() + " is " + a.fstype() + ", not the ext4 made on " + want.label());
        } else {
            return a.source();
        }
        return null;
    }

    /** The verdict of the whole test from its boots and the master's state directory. */
    static BootVerdict verdict(BootTestRequest req, List<DiskBoot> boots, BootVerdict.MasterState master,
            int bootsPlanned, String startedAt, long durationSeconds) {
        List<String> failures = new ArrayList<>();
        for (DiskBoot b : boots) {
            if (!b.passed()) {
                failures.add("boot " + b.boot() + ": " + b.reason());
            }
        }
        if (boots.size() < bootsPlanned) {
            failures.add("no reboot: boot " + boots.size() + " did not report");
        }
        if (!master.untouched()) {
            failures.add("a diskful client wrote to its directory on the master " + master.directory() + ": "
                    + String.join(", ", master.changes()) + " (CLIENTSTATE must be empty for diskful clients)");
        }
        boolean passed = failures.isEmpty();
        String reason;
        if (passed) {
            Partition rw = req.disk().partition(Role.RW);
            Partition st = req.disk().partition(Role.STATE);
            DiskBoot last = boots.get(boots.size() - 1);
            reason = "booted " + req.version() + " " + boots.size() + " times by " + req.mode().label()
                    + " on one local disk: RW area on partition " + rw.number() + " (" + rw.label() + "), wiped at the reboot; "
                    + "state on partition " + st.number() + " (" + st.label() + "), kept across it ("
                    + String.join(", ", last.stateCarried().stream().map(Carried::path).toList()) + "); nothing written to "
                    + master.directory();
        } else {
            reason = String.join("; ", failures);
        }
        return new BootVerdict(req.version(), passed, reason, req.mode().label(), startedAt, durationSeconds, null,
                new BootVerdict.Diskful(req.disk().partitions(), boots, master));
    }

    /** Every entry under {@code dir} with its type, size and modification time; empty when it does not exist. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String kind = a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "f";
                out.put(dir.relativize(p).toString(), kind + " " + (a.isDirectory() ? 0 : a.size()) + " " + a.lastModifiedTime());
            }
        }
        return out;
    }

    /** What changed in {@code dir} between two snapshots. */
    static BootVerdict.MasterState masterState(Path dir, Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : after.entrySet()) {
            String was = before.get(e.getKey());
            String name = e.getKey().isEmpty() ? "(the directory itself)" : e.getKey();
            if (was == null) {
                changes.add("added " + name);
            } else if (!was.equals(e.getValue())) {
                changes.add("changed " + name);
            }
        }
        before.keySet().stream().filter(k -> !after.containsKey(k))
                .forEach(k -> changes.add("removed " + (k.isEmpty() ? "(the directory itself)" : k)));
        boolean untouched = changes.isEmpty();
        return new BootVerdict.MasterState(dir.toString(), untouched, changes.stream().limit(MAX_CHANGES).toList());
    }
}

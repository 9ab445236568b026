package io.rocluster.spec;

import io.rocluster.spec.ImageSpec.FileCapabilities;
import io.rocluster.spec.ImageSpec.Initramfs;
import io.rocluster.spec.ImageSpec.Mode;
import io.rocluster.spec.ImageSpec.Nfs;
import io.rocluster.spec.ImageSpec.Profile;
import io.rocluster.spec.ImageSpec.ReadOnly;
import io.rocluster.spec.ImageSpec.Rwtab;
import io.rocluster.spec.ImageSpec.Selinux;
import io.rocluster.spec.ImageSpec.SshHostKeys;
import io.rocluster.spec.ImageSpec.Units;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Turns the spec as written (absent fields null) into the effective spec: checks every value's format, fills
 * in the defaults ({@link SpecDefaults}, {@link ProfileDefaults}), and checks the rules that span fields
 * (diskful needs labels, diskless needs {@code nfs.server}, a path is either rwtab or statetab, …).
 *
 * <p>List rule, the same for every list: a spec's list <em>extends</em> the default list; an entry written
 * {@code "!x"} removes the default {@code x}. Scalars replace their default.
 */
final class SpecResolver {

    private final Problems problems;

    SpecResolver(Problems problems) {
        this.problems = problems;
    }

    /** The effective spec; meaningful only when no problem was recorded. */
    ImageSpec resolve(ImageSpec raw) {
        String name = check("name", raw.name(), SpecChecks::name);
        if (raw.name() == null) {
            problems.add("name", "required: the image name used in artefact paths, e.g. name: compute");
        }
        if (raw.profile() == null && !problems.reported("profile")) {
            problems.add("profile", "required: one of " + String.join(", ", SpecBinder.enumNames(Profile.class)));
        }
        Profile profile = raw.profile() == null ? Profile.EL7 : raw.profile();
        ProfileDefaults d = ProfileDefaults.of(profile);

        SshHostKeys ssh = or(raw.sshHostKeys(), SpecDefaults.SSH_HOST_KEYS);
        ReadOnly readonly = readonly(raw.readonly() == null ? new ReadOnly(null, null, null, null, null, null, null, null) : raw.readonly());
        Rwtab rw = raw.rwtab() == null ? new Rwtab(null, null, null) : raw.rwtab();
        Rwtab rwtab = new Rwtab(
                extend("rwtab.dirs", rw.dirs(), d.rwtab().dirs(), SpecChecks::absolutePath),
                extend("rwtab.empty", rw.empty(), d.rwtab().empty(), SpecChecks::absolutePath),
                extend("rwtab.files", rw.files(), d.rwtab().files(), SpecChecks::absolutePath));
        List<String> stateDefaults = new ArrayList<>(d.statetab());
        if (ssh == SshHostKeys.PER_CLIENT) {
            // Keys generated at a client's first boot must land somewhere writable and stay: its state area.
            stateDefaults.add(SpecDefaults.SSH_DIR);
        }
        List<String> statetab = extend("statetab", raw.statetab(), stateDefaults, SpecChecks::absolutePath);
        Units u = raw.units() == null ? new Units(null, null) : raw.units();
        Units units = new Units(
                extend("units.disable", u.disable(), d.units().disable(), SpecChecks::unit),
                extend("units.mask", u.mask(), d.units().mask(), SpecChecks::unit));
        Initramfs i = raw.initramfs() == null ? new Initramfs(null, null, null, null) : raw.initramfs();
        Initramfs initramfs = new Initramfs(
                extend("initramfs.modules", i.modules(), d.modules(), SpecChecks::dracutModule),
                extend("initramfs.drivers", i.drivers(), d.drivers(), SpecChecks::driver),
                extend("initramfs.omitModules", i.omitModules(), d.omitModules(), SpecChecks::dracutModule),
                or(check("initramfs.cmdline", i.cmdline(), SpecChecks::quotable), ""));
        Nfs nfs = nfs(raw.nfs() == null ? new Nfs(null, null, null, null) : raw.nfs());

        ImageSpec effective = new ImageSpec(
                or(name, ""),
                profile,
                extend("packages", raw.packages(), List.of(), SpecChecks::packageName),
                readonly, rwtab, statetab, units, initramfs, nfs,
                or(raw.selinux(), SpecDefaults.SELINUX),
                ssh,
                or(raw.fileCapabilities(), SpecDefaults.FILE_CAPABILITIES),
                or(check("sourceDateEpoch", raw.sourceDateEpoch(), SpecChecks::sourceDateEpoch),
                        SpecDefaults.SOURCE_DATE_EPOCH));
        crossChecks(raw, effective);
        return effective;
    }

    private ReadOnly readonly(ReadOnly r) {
        return new ReadOnly(
                or(r.mode(), SpecDefaults.MODE),
                or(check("readonly.rwMount", r.rwMount(), SpecChecks::absolutePath), SpecDefaults.RW_MOUNT),
                or(check("readonly.rwOptions", r.rwOptions(), SpecChecks::quotable), ""),
                or(check("readonly.rwLabel", blankToNull(r.rwLabel()), SpecChecks::label), ""),
                or(check("readonly.stateLabel", blankToNull(r.stateLabel()), SpecChecks::label), ""),
                or(check("readonly.stateMount", r.stateMount(), SpecChecks::absolutePath), SpecDefaults.STATE_MOUNT),
                or(check("readonly.stateOptions", r.stateOptions(), SpecChecks::quotable), ""),
                or(r.slaveMounts(), Boolean.TRUE));
    }

    private Nfs nfs(Nfs n) {
        Integer version = n.version();
        if (version != null && version != 3 && version != 4) {
            problems.add("nfs.version", version + " is not one of 3, 4");
        }
        return new Nfs(
                or(check("nfs.server", n.server(), SpecChecks::host), ""),
                or(check("nfs.masterRoot", n.masterRoot(), SpecChecks::absolutePath), SpecDefaults.MASTER_ROOT),
                or(version, SpecDefaults.NFS_VERSION),
                or(check("nfs.options", n.options(), SpecChecks::nfsOptions), ""));
    }

    private void crossChecks(ImageSpec raw, ImageSpec spec) {
        ReadOnly r = spec.readonly();
        ReadOnly rawReadonly = raw.readonly();
        if (r.mode() == Mode.DISKFUL) {
            if (r.rwLabel().isEmpty() && !problems.reported("readonly.rwLabel")) {
                problems.add("readonly.rwLabel", "required for diskful clients: the label of the local partition that holds"
                        + " the writable paths (initscripts' default is stateless-rw)");
            }
            if (r.stateLabel().isEmpty() && !problems.reported("readonly.stateLabel")) {
                problems.add("readonly.stateLabel", "required for diskful clients: the label of the local partition that holds"
                        + " the client's state (initscripts' default is stateless-state)");
            }
        } else {
            if (rawReadonly != null && blankToNull(rawReadonly.rwLabel()) != null) {
                problems.add("readonly.rwLabel", "only diskful clients use local partitions; remove it, or set readonly.mode: diskful");
            }
            if (rawReadonly != null && blankToNull(rawReadonly.stateLabel()) != null) {
                problems.add("readonly.stateLabel", "only diskful clients use local partitions; remove it, or set readonly.mode: diskful");
            }
            if (spec.nfs().server().isEmpty() && !problems.reported("nfs.server")) {
                problems.add("nfs.server", "required for diskless clients: their state lives on the master"
                        + " (CLIENTSTATE=<server>:<masterRoot>/state); set the address clients reach the master at");
            }
        }
        if (r.rwMount().equals(r.stateMount())) {
            problems.add("readonly.stateMount", "'" + r.stateMount() + "' is also readonly.rwMount; the writable and the state"
                    + " areas need different mount points");
        }
        Rwtab rw = spec.rwtab();
        Rwtab rawRw = raw.rwtab() == null ? new Rwtab(null, null, null) : raw.rwtab();
        Map<String, String> kinds = new HashMap<>();
        overlap("rwtab.dirs", rw.dirs(), rawRw.dirs(), kinds);
        overlap("rwtab.empty", rw.empty(), rawRw.empty(), kinds);
        overlap("rwtab.files", rw.files(), rawRw.files(), kinds);
        overlap("statetab", spec.statetab(), raw.statetab(), kinds);
        Units u = raw.units() == null ? new Units(null, null) : raw.units();
        Map<String, String> units = new HashMap<>();
        overlap("units.disable", spec.units().disable(), u.disable(), units);
        overlap("units.mask", spec.units().mask(), u.mask(), units);
        Initramfs i = raw.initramfs() == null ? new Initramfs(null, null, null, null) : raw.initramfs();
        Map<String, String> modules = new HashMap<>();
        overlap("initramfs.modules", spec.initramfs().modules(), i.modules(), modules);
        overlap("initramfs.omitModules", spec.initramfs().omitModules(), i.omitModules(), modules);
        if (spec.initramfs().cmdline().matches("(^|.*\\s)(root|nfsroot)=.*")) {
            problems.add("initramfs.cmdline", "root= is set by rocluster from nfs.* and the deployed version; remove it");
        }
        if (spec.profile() == Profile.DEBIAN12 && spec.selinux() != Selinux.DISABLED) {
            problems.add("selinux", "'" + SpecBinder.enumName(spec.selinux()) + "' needs the el7 profile: debian12 images"
                    + " carry no SELinux policy; use disabled");
        }
    }

    /**
     * Reports an entry that sits in two lists that exclude each other ({@code rwtab.dirs} and {@code statetab},
     * {@code units.disable} and {@code units.mask}, …). At least one side is the user's (defaults never clash),
     * so the error points at the user's entry and says how to drop the other side.
     */
    private void overlap(String field, List<String> effective, List<String> raw, Map<String, String> seen) {
        for (String v : effective) {
            String other = seen.putIfAbsent(v, field);
            if (other == null) {
                continue;
            }
            String here = origin(field, raw, v);
            String hint = "'" + v + "' is also in " + other + "; an entry belongs to one of them: remove one"
                    + " (a default is removed with \"!" + v + "\")";
            problems.add(here != null ? here : field, hint);
        }
    }

    private static String origin(String field, List<String> raw, String value) {
        if (raw != null) {
            int i = raw.indexOf(value);
            if (i >= 0) {
                return field + "[" + i + "]";
            }
        }
        return null;
    }

    /**
     * Extends {@code defaults} by the user's list: entries are checked, duplicates refused, {@code "!x"} removes
     * the default {@code x}. Order: the kept defaults, then the user's additions as written.
     */
    private List<String> extend(String field, List<String> user, List<String> defaults, UnaryOperator<String> check) {
        List<String> result = new ArrayList<>(defaults);
        if (user == null) {
            return List.copyOf(result);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < user.size(); i++) {
            String entry = user.get(i);
            if (entry == null) {
                continue; // the binder reported it
            }
            String path = field + "[" + i + "]";
            boolean removal = entry.startsWith("!");
            String value = removal ? entry.substring(1) : entry;
            String wrong = check.apply(value);
            if (wrong != null) {
                problems.add(path, wrong);
                continue;
            }
            Integer earlier = seen.putIfAbsent(value, i);
            if (earlier != null) {
                problems.add(path, "'" + value + "' is already given at " + field + "[" + earlier + "]; keep one");
                continue;
            }
            if (removal) {
                if (!defaults.contains(value)) {
                    problems.add(path, "'" + entry + "' removes nothing: '" + value + "' is not a default of " + field
                            + (defaults.isEmpty() ? " (it has none)" : " (defaults: " + String.join(", ", defaults) + ")"));
                } else {
                    result.remove(value);
                }
            } else if (!result.contains(value)) {
                result.add(value);
            }
        }
        return List.copyOf(result);
    }

    private String check(String path, String value, UnaryOperator<String> rule) {
        if (value == null) {
            return null;
        }
        String wrong = rule.apply(value);
        if (wrong != null) {
            problems.add(path, wrong);
            return null;
        }
        return value;
    }

    /** An empty label means "no label", as in readonly-root where an empty RW_LABEL matches no partition. */
    private static String blankToNull(String label) {
        return label == null || label.isEmpty() ? null : label;
    }

    private static <T> T or(T value, T fallback) {
        return Objects.requireNonNullElse(value, fallback);
    }
}

package io.rocluster.readonly;

import io.rocluster.readonly.ImagePlan.Section;
import io.rocluster.readonly.PlanAction.Verb;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageSpec.Profile;
import io.rocluster.spec.ImageSpec.SshHostKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the {@link ImagePlan} of a spec: the reference procedure's fix-ups of the exported root and the
 * pitfalls of FACTS "EL7 read-only root", as plan actions.
 */
final class PlanRenderer {

    private PlanRenderer() {}

    static ImagePlan render(ImageSpec spec) {
        boolean el7 = spec.profile() == Profile.EL7;
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("A non-empty /etc/hostname would override the host name each client gets from DHCP.",
                List.of(a(Verb.DELETE, "/etc/hostname"))));
        if (el7) {
            sections.add(new Section("rpm's Berkeley DB environment belongs to the build's rpm run.",
                    List.of(a(Verb.DELETE, "/var/lib/rpm/__db*"))));
            // POSIX globs have no "all but": these three match every ifcfg file except ifcfg-lo.
            sections.add(new Section("Interface configs name the build machine's NICs; only ifcfg-lo fits every client.",
                    List.of(a(Verb.DELETE, "/etc/sysconfig/network-scripts/ifcfg-[!l]*"),
                            a(Verb.DELETE, "/etc/sysconfig/network-scripts/ifcfg-l[!o]*"),
                            a(Verb.DELETE, "/etc/sysconfig/network-scripts/ifcfg-lo?*"))));
        }
        List<PlanAction> hardware = new ArrayList<>();
        hardware.add(a(Verb.DELETE, "/etc/udev/rules.d/70-persistent-net.rules"));
        hardware.add(a(Verb.DELETE, "/.readahead"));
        hardware.add(a(Verb.DELETE, "/var/lib/systemd/random-seed"));
        if (el7) {
            hardware.add(a(Verb.DELETE, "/var/lib/random-seed"));
        }
        sections.add(new Section("Hardware-specific state and a random seed every client would share.", hardware));
        sections.add(new Section("A regular dbus machine-id would give every client the same id (a symlink to the empty"
                + " /etc/machine-id is fine).", List.of(a(Verb.DELETE_REGULAR, "/var/lib/dbus/machine-id"))));
        sections.add(new Section("The build's resolver settings are not the clients'.",
                List.of(a(Verb.EMPTY, "/etc/resolv.conf"))));
        sections.add(new Section("SSH host keys (sshHostKeys).", List.of(a(Verb.SSH_HOST_KEYS,
                spec.sshHostKeys() == SshHostKeys.PER_CLIENT ? "per-client" : "shared"))));
        sections.add(new Section("Paths readonly-root needs in the image: its mount points, and every rwtab and statetab"
                + " path (a missing one is skipped at boot).", ensure(spec)));
        List<PlanAction> units = new ArrayList<>();
        spec.units().disable().forEach(u -> units.add(a(Verb.DISABLE, u)));
        spec.units().mask().forEach(u -> units.add(a(Verb.MASK, u)));
        sections.add(new Section("Units (units.disable, units.mask).", units));
        return new ImagePlan(sections);
    }

    /**
     * {@code mkdir} for directories, {@code touch} for rwtab {@code files} entries (usually files; one that is a
     * directory in the image is left as it is). statetab entries become directories when missing: state is
     * nearly always a directory, and a file a package installs exists already.
     */
    private static List<PlanAction> ensure(ImageSpec spec) {
        List<PlanAction> out = new ArrayList<>();
        out.add(a(Verb.MKDIR, spec.readonly().rwMount()));
        out.add(a(Verb.MKDIR, spec.readonly().stateMount()));
        spec.rwtab().dirs().forEach(p -> out.add(a(Verb.MKDIR, p)));
        spec.rwtab().empty().forEach(p -> out.add(a(Verb.MKDIR, p)));
        spec.rwtab().files().forEach(p -> out.add(a(Verb.TOUCH, p)));
        spec.statetab().forEach(p -> out.add(a(Verb.MKDIR, p)));
        return out;
    }

    private static PlanAction a(Verb verb, String argument) {
        return new PlanAction(verb, argument);
    }
}

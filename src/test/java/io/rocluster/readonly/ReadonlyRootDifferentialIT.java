package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.readonly.El7Client.Mount;
import io.rocluster.readonly.El7Client.Report;
import io.rocluster.readonly.El7Client.Service;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rocluster's own read-only root implementation (stages/debian12/files/usr/libexec/rocluster/readonly-root,
 * what debian12 images carry in place of EL7's service) against the real one: the same applied el7 root, the
 * same container, the same probes ({@link RhelReadonlyIT}), booted twice each on a state directory of its own.
 * The mounts made, what a client sees under every rwtab and statetab path, and which writes succeed must be
 * the same, boot for boot. The one difference meant is its exit status when CLIENTSTATE is set and cannot be
 * mounted (1, with a line naming the directory the master must export; rhel-readonly carries on with 0), which
 * the README documents.
 */
class ReadonlyRootDifferentialIT {

    @ParameterizedTest
    @MethodSource("io.rocluster.readonly.El7Client#configurations")
    void roclustersImplementationMountsAndExposesWhatRhelReadonlyDoes(String example) throws IOException {
        List<Report> rhel = RhelReadonlyIT.boots(example, Service.RHEL_READONLY);
        List<Report> ours = RhelReadonlyIT.boots(example, Service.ROCLUSTER);
        String stateMount = RhelReadonlyIT.probe(example).spec().readonly().stateMount();

        for (int boot = 0; boot < 2; boot++) {
            Report r = rhel.get(boot);
            Report o = ours.get(boot);
            assertThat(normalised(o, stateMount)).as("mounts, boot " + (boot + 1)).isEqualTo(normalised(r, stateMount));
            assertThat(o.trees()).as("what the client sees, boot " + (boot + 1)).isEqualTo(r.trees());
            assertThat(o.writes()).as("writes, boot " + (boot + 1)).isEqualTo(r.writes());
            assertThat(r.exit()).isZero();
            if (!example.equals("el7-diskful")) {
                assertThat(o.exit()).isEqualTo(1);
                assertThat(o.log()).contains("rocluster-readonly: cannot mount 192.168.100.1:/data/cluster/state/"
                        + El7Client.HOSTNAME + " on " + stateMount + ": the master must export a directory named after"
                        + " this client (" + El7Client.HOSTNAME + ")");
            } else {
                assertThat(o.exit()).as(String.join("\n", o.log())).isZero();
            }
        }
        System.out.println("ReadonlyRootDifferentialIT " + example + ": rocluster's readonly-root and rhel-readonly agree"
                + " on " + rhel.get(0).mounts().size() + " mounts, " + rhel.get(0).trees().size() + " probed trees ("
                + rhel.get(0).trees().values().stream().mapToInt(List::size).sum() + " entries) and "
                + rhel.get(0).writes().size() + " writes, on both boots; exit status rhel-readonly " + rhel.get(0).exit()
                + ", rocluster " + ours.get(0).exit());
    }

    /** The mounts made, with the state directory's own path (which differs between the two runs) left out. */
    private static List<Mount> normalised(Report r, String stateMount) {
        String area = r.before(stateMount).fsroot();
        return r.mounts().stream()
                .map(m -> m.fsroot().startsWith(area + "/") ? new Mount(m.target(), m.fstype(),
                        "<state>" + m.fsroot().substring(area.length()), m.propagation()) : m)
                .toList();
    }
}

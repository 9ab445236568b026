package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.build.El7Fixture;
import io.rocluster.readonly.El7Client.Mount;
import io.rocluster.readonly.El7Client.Report;
import io.rocluster.readonly.El7Client.Service;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance of what rocluster renders with the CentOS 7 code that reads it: {@code rocluster apply} of an el7
 * example on the real CentOS 7.9 userland ({@link El7Fixture}), then the image's own
 * {@code /usr/lib/systemd/rhel-readonly} (initscripts 9.49.53) in a container with the root remounted
 * read-only and a host directory at STATE_MOUNT ({@link El7Client}), booted twice on the same state. What a
 * client sees is held to {@link RhelReadonlyModel}, initscripts' rules worked out from the root's files: every
 * rwtab entry writable with its kind's copy semantics, statetab paths bound from the state area and kept
 * across boots, everything else read-only.
 */
class RhelReadonlyIT {

    /** The reference procedure's rwtab minimum (FACTS.md), which the el7 profile renders by default. */
    static final List<String> REFERENCE_RWTAB = List.of("/etc/localtime", "/var/lock", "/var/lib/postfix/master.lock",
            "/var/lib/gssproxy");
    /** Places a client must not be able to write. */
    static final List<String> READ_ONLY = List.of("/", "/etc", "/etc/sysconfig/readonly-root", "/usr/bin", "/var/lib",
            "/var/lib/rpm", "/var/lib/stateless");
    static final String EROFS = "Read-only file system";

    @ParameterizedTest
    @MethodSource("io.rocluster.readonly.El7Client#configurations")
    void everyRwtabEntryIsWritableWithInitscriptsSemantics(String example) throws IOException {
        Probe probe = probe(example);
        List<Report> boots = boots(example, Service.RHEL_READONLY);
        Report first = boots.get(0);
        System.out.println("RhelReadonlyIT " + example + ": rhel-readonly exit " + first.exit() + ", mounts it made"
                + " (target, type, root in the file system, propagation):\n" + String.join("\n", first.mounts().stream()
                        .map(m -> m.target() + " " + m.fstype() + " " + m.fsroot() + " " + m.propagation()).toList()));

        assertThat(first.exit()).as(String.join("\n", first.log())).isZero();
        assertThat(first.mounts()).containsExactlyElementsOf(probe.expectedMounts(first));
        for (RhelReadonlyModel.Entry e : probe.model.presentRwtab()) {
            if (probe.underState(e.path())) {
                continue; // statetab binds over it
            }
            assertThat(first.trees().get(e.path())).as(e.kind() + " " + e.path()).isEqualTo(probe.model.rwtabView(e.path()));
            assertThat(first.writes().get(e.path())).as("write to " + e.path()).isEqualTo("ok");
        }
        List<String> present = probe.model.presentRwtab().stream().map(RhelReadonlyModel.Entry::path).toList();
        assertThat(present).containsAll(REFERENCE_RWTAB);
        assertThat(first.mounts().stream().map(Mount::target)).containsAll(REFERENCE_RWTAB);
        // The whole RW area, all kinds of both rwtab files, the stock one and rocluster's drop-in.
        String rw = probe.spec.readonly().rwMount();
        assertThat(probe.model.withoutParents(first.trees().get(rw))).isEqualTo(probe.model.rwAreaListing());
        assertThat(first.trees().get(rw)).as("dirs /var/log: its directories, not its files")
                .contains("d 700 var/log/audit").noneMatch(l -> l.contains("var/log/yum.log"))
                .as("files /var/log/audit/audit.log, within it: the file")
                .contains("f 600 var/log/audit/audit.log " + RhelReadonlyModel.md5(probe.root.resolve("var/log/audit/audit.log")))
                .as("files /var/lib/nfs: the whole tree")
                .contains("f 644 var/lib/nfs/etab " + RhelReadonlyModel.md5(probe.root.resolve("var/lib/nfs/etab")))
                .as("dirs /var/lib/gssproxy: the tree of directories").contains("d 700 var/lib/gssproxy/clients");
        assertThat(first.trees().get("/tmp")).as("empty /tmp").containsExactly("d 1777 ");

        // The RW area is a tmpfs: what the first boot wrote there is gone at the next.
        Report second = boots.get(1);
        assertThat(second.exit()).isZero();
        for (RhelReadonlyModel.Entry e : probe.model.presentRwtab()) {
            if (!probe.underState(e.path())) {
                assertThat(second.trees().get(e.path())).as(e.path()).isEqualTo(probe.model.rwtabView(e.path()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.rocluster.readonly.El7Client#configurations")
    void statetabPathsAreBoundFromTheStateAreaAndKeptAcrossBoots(String example) throws IOException {
        Probe probe = probe(example);
        List<Report> boots = boots(example, Service.RHEL_READONLY);
        Path state = El7Client.state(example, Service.RHEL_READONLY);
        Report first = boots.get(0);
        Report second = boots.get(1);

        assertThat(probe.statetab).containsAll(probe.spec.statetab()).contains("/var/log", "/etc/ssh");
        Mount area = first.before(probe.spec.readonly().stateMount());
        for (String s : probe.statetab) {
            assertThat(first.mounts()).anyMatch(m -> m.target().equals(s) && m.fsroot().equals(area.fsroot() + s));
            // First boot: seeded from the image. Next boot: the state area's copy, with what the client wrote.
            assertThat(first.trees().get(s)).as(s).isEqualTo(probe.model.stateSeed(s));
            assertThat(first.writes().get(s)).as("write to " + s).isEqualTo("ok");
            assertThat(second.trees().get(s)).as(s + " at the next boot")
                    .containsExactlyInAnyOrderElementsOf(withProbe(probe.model.stateSeed(s)));
            assertThat(state.resolve(s.substring(1)).resolve(".rocluster-probe")).as("kept in the state area").exists();
        }
        // /var/log is in EL7's stock rwtab too (dirs): the state area is seeded from that copy, so the image's
        // files in /var/log do not reach it (README: what rhel-readonly does with rocluster's statetab).
        assertThat(state.resolve("var/log/yum.log")).doesNotExist();
        assertThat(state.resolve("var/log/audit/audit.log")).hasSameTextualContentAs(probe.root.resolve("var/log/audit/audit.log"));
        assertThat(first.trees().get("/etc/ssh")).isEqualTo(probe.model.imageTree("/etc/ssh"));
        assertThat(second.mounts()).isEqualTo(first.mounts());
    }

    @ParameterizedTest
    @MethodSource("io.rocluster.readonly.El7Client#configurations")
    void writesElsewhereAreRefused(String example) throws IOException {
        Report first = boots(example, Service.RHEL_READONLY).get(0);

        for (String p : READ_ONLY) {
            assertThat(first.writes().get(p)).as("write to " + p).isEqualTo(EROFS);
        }
    }

    static List<Report> boots(String example, Service service) throws IOException {
        Probe probe = probe(example);
        return El7Client.twoBoots(example, service, probe.trees(), probe.writes());
    }

    static List<String> withProbe(List<String> tree) {
        List<String> out = new ArrayList<>(tree);
        if (!tree.isEmpty() && tree.get(0).startsWith("d ")) {
            out.add("f 644 .rocluster-probe d41d8cd98f00b204e9800998ecf8427e");
        }
        return out;
    }

    static Probe probe(String example) throws IOException {
        El7Fixture.Applied a = El7Client.applied(example);
        RhelReadonlyModel model = new RhelReadonlyModel(a.root());
        return new Probe(a.root(), SpecLoader.load(a.spec()), model, model.statetab());
    }

    /** An applied example, its model, and what to probe. */
    record Probe(Path root, ImageSpec spec, RhelReadonlyModel model, List<String> statetab) {

        boolean underState(String path) {
            return statetab.stream().anyMatch(s -> RhelReadonlyModel.within(path, s));
        }

        List<String> trees() throws IOException {
            Set<String> paths = new LinkedHashSet<>();
            paths.add(spec.readonly().rwMount());
            model.presentRwtab().forEach(e -> paths.add(e.path()));
            paths.addAll(statetab);
            return List.copyOf(paths);
        }

        List<String> writes() throws IOException {
            List<String> out = new ArrayList<>(trees());
            out.addAll(READ_ONLY);
            return out;
        }

        /**
         * The tmpfs at RW_MOUNT (shared, as every mount systemd made), each outermost rwtab path bound from it,
         * then each statetab path from the state area. With SLAVE_MOUNTS=yes ({@code --make-slave}) the binds
         * are slaves of their shared sources. Without, they stay shared, peers of the RW area, so whatever is
         * mounted on an rwtab path later — a statetab bind, a repeated rwtab entry (CentOS 7.9's gssproxy ships
         * /var/lib/gssproxy in its own rwtab.d, and the reference procedure adds it again) — propagates into
         * the RW area too: the kernel's rule, and the reason for the setting.
         */
        List<Mount> expectedMounts(Report boot) throws IOException {
            boolean slave = spec.readonly().slaveMounts();
            String binds = slave ? "private,slave" : "shared";
            String rw = spec.readonly().rwMount();
            List<Mount> out = new ArrayList<>();
            out.add(new Mount(rw, "tmpfs", "/", "shared"));
            List<String> bound = new ArrayList<>();
            Mount area = boot.before(spec.readonly().stateMount());
            List<Mount> later = new ArrayList<>();
            model.rwtabMounts().forEach(m -> later.add(new Mount(m, "tmpfs", m, binds)));
            statetab.forEach(s -> later.add(new Mount(s, area.fstype(), area.fsroot() + s, binds)));
            for (Mount m : later) {
                out.add(m);
                if (!slave && bound.stream().anyMatch(b -> RhelReadonlyModel.within(m.target(), b))) {
                    out.add(new Mount(rw + m.target(), m.fstype(), m.fsroot(), "shared"));
                }
                if (m.fstype().equals("tmpfs")) {
                    bound.add(m.target());
                }
            }
            return out;
        }
    }
}

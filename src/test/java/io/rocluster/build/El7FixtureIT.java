package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.artefact.Manifest.PackageVersion;
import io.rocluster.readonly.ReadOnlyConfig;
import io.rocluster.readonly.RenderedFile;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The el7 stage scripts and {@code rocluster apply} on the real CentOS 7.9 userland ({@link El7Fixture}):
 * <ul>
 *   <li>apply of the el7 examples on a copy of its root, on this host: the changes, a dry run that lists them
 *       and writes nothing, a second run with nothing to change, a Debian spec refused;</li>
 *   <li>the el7 readonly stage as the build runs it (the same {@link StageInput}, {@code sh 30-readonly.sh} with
 *       ROOT=/build/root) in a container of the fixture, i.e. with CentOS 7's own sh, coreutils and findutils:
 *       it leaves the same tree as apply on the host, and a second run changes nothing;</li>
 *   <li>then the el7 collect script in that container: CentOS 7's rpm 4.11 on the fixture's real BerkeleyDB
 *       rpmdb, parsed by the build's own {@link CollectStep#packages}, against {@code rpm -qa} and the
 *       fixture's list of RPM files.</li>
 * </ul>
 * The bootstrap, packages and initramfs stages need yum with a CentOS 7 mirror and a kernel: {@link El7BuildIT}.
 */
class El7FixtureIT {

    /** The stage script and collect run once, in one container, on one copy; the tests look at what they left. */
    private static Path stagedRoot;
    private static Path stageOut;
    private static Map<String, List<String>> container;

    @BeforeAll
    static void runTheEl7StagesInAContainerOfTheFixture() throws IOException {
        El7Fixture fixture = El7Fixture.get();
        Path tmp = fixture.newDirectory("stages-");
        String image = fixture.image();
        stagedRoot = fixture.copyRoot(tmp.resolve("root"));
        StageInput readonly = Stages.readonly().input(context("el7"));
        StageInput collect = Stages.COLLECT.input(context("el7"));
        Path stage = tmp.resolve("stage");
        readonly.extractTo(stage);
        Path collectStage = tmp.resolve("collect");
        collect.extractTo(collectStage);
        stageOut = Files.createDirectory(tmp.resolve("out"));
        List<String> options = new ArrayList<>(List.of("--cap-add", "SYS_ADMIN", "--security-opt", "apparmor=unconfined",
                "-v", stagedRoot + ":/build/root", "-v", stage + ":/build/stage:ro", "-v", collectStage + ":/build/collect:ro",
                "-v", stageOut + ":/build/out"));
        readonly.environment("/build/root", "/build/out").forEach((k, v) -> options.addAll(List.of("-e", k + "=" + v)));
        // As the build: readonly, then collect; the readonly script twice to see the second run change nothing.
        String script = String.join("; ",
                "echo '## readonly'", "sh /build/stage/" + readonly.script(), "echo \"## exit $?\"",
                "echo '## readonly again'", "sh /build/stage/" + readonly.script(), "echo \"## exit $?\"",
                "echo '## collect'", "sh /build/collect/" + collect.script(), "echo \"## exit $?\"",
                "echo '## rpm -qa'", "rpm --root /build/root -qa",
                "echo '## epochs'", "rpm --root /build/root -qa --qf '%{NAME}.%{ARCH} %{EPOCH}\\n'",
                "echo '## rpm files'", "ls /build/root/var/lib/rpm");
        El7Fixture.Docker.Run run = El7Fixture.Docker.container(300, options, image, "sh", "-c", script);
        assertThat(run.code()).as(run.output()).isZero();
        container = sections(run.lines());
        System.out.println("El7FixtureIT: the el7 readonly stage in a container of the fixture:\n"
                + String.join("\n", container.get("readonly")) + "\nand again:\n" + String.join("\n", container.get("readonly again")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"el7", "el7-diskful"})
    void applyOnTheFixtureListsItsChangesAndASecondRunChangesNothing(String example) throws IOException {
        El7Fixture.Applied a = El7Fixture.get().applied(example);
        System.out.println("El7FixtureIT: rocluster apply " + a.spec() + " --root <fixture copy>\n"
                + String.join("\n", a.first().lines()) + "\nand again:\n" + String.join("\n", a.again().lines()));

        assertThat(a.dryRunUntouched()).as("a dry run writes nothing").isTrue();
        assertThat(a.dryRun().lines().get(0)).endsWith("CentOS Linux 7 (Core) (usr/lib/os-release); applying " + a.spec()
                + " (dry run)");
        List<String> changes = a.first().result().changes();
        assertThat(changes).isEqualTo(a.dryRun().result().changes());
        assertThat(a.dryRun().lines()).containsAll(changes.stream().map(c -> "would " + c).toList());
        assertThat(changes).contains(
                "remove /etc/hostname",
                "update /etc/sysconfig/readonly-root",
                "create /etc/rwtab.d/rocluster",
                "create /etc/statetab.d/rocluster",
                "create /etc/fstab",
                "create /etc/machine-id",
                "create /etc/dracut.conf.d/rocluster.conf",
                "create /etc/selinux/config",
                "create directory /var/lock",
                "create /etc/localtime (empty)",
                "create /var/lib/postfix/master.lock (empty)");
        // The fixture's rpmdb has no __db* environment, its only ifcfg file is ifcfg-lo, it has no SSH keys.
        assertThat(changes).noneMatch(c -> c.startsWith("remove /var/lib/rpm") || c.contains("ifcfg")
                || c.contains("ssh_host"));
        assertThat(a.first().lines()).contains("unit kdump.service not in the image: nothing to disable")
                .last().asString().isEqualTo(changes.size() + " changes made");
        assertThat(a.again().result().changes()).isEmpty();
        assertThat(a.again().lines()).last().asString().isEqualTo("nothing to change");

        for (RenderedFile f : ReadOnlyConfig.of(SpecLoader.load(a.spec())).files()) {
            assertThat(a.root().resolve(f.path().substring(1))).as(f.path()).hasContent(f.content());
        }
        assertThat(a.root().resolve("etc/hostname")).doesNotExist();
        assertThat(a.root().resolve("etc/sysconfig/network-scripts/ifcfg-lo")).exists();
    }

    @Test
    void aDebianSpecIsRefusedAndTheRootLeftUntouched() throws IOException {
        Map<String, String> before = El7Fixture.metadata(stagedRoot);

        assertThatThrownBy(() -> new ApplyService().apply(spec("debian12"), stagedRoot, false, l -> { }))
                .hasMessage(stagedRoot + " is CentOS Linux 7 (Core) (usr/lib/os-release) but examples/debian12.yaml has"
                        + " profile debian12, for Debian 12: nothing changed; apply a spec of the root's distribution, or"
                        + " check --root");
        assertThat(El7Fixture.metadata(stagedRoot)).isEqualTo(before);
    }

    @Test
    void theReadonlyStageInACentos7ContainerDoesWhatApplyDoesOnTheHost() throws IOException {
        El7Fixture.Applied applied = El7Fixture.get().applied("el7");
        List<String> changes = applied.first().result().changes();

        // The same changes, reported the same way, by CentOS 7's shell and tools as by this host's.
        List<String> expected = new ArrayList<>(applied.first().lines().subList(1, applied.first().lines().size())
                .stream().map(l -> "readonly: " + l).toList());
        expected.add("## exit 0");
        assertThat(container.get("readonly")).containsExactlyElementsOf(expected);
        assertThat(changes).contains("remove /etc/hostname");
        assertThat(container.get("readonly again")).containsExactly(
                "readonly: unit systemd-readahead-collect.service not in the image: nothing to disable",
                "readonly: unit kdump.service not in the image: nothing to disable",
                "readonly: nothing to change",
                "## exit 0");
        // And the same tree: names, types, modes, owners, sizes, link targets; the content of what changed.
        assertThat(withoutTimes(El7Fixture.metadata(stagedRoot))).isEqualTo(withoutTimes(El7Fixture.metadata(applied.root())));
        for (RenderedFile f : ReadOnlyConfig.of(SpecLoader.load(spec("el7"))).files()) {
            assertThat(stagedRoot.resolve(f.path().substring(1))).as(f.path()).hasContent(f.content());
        }
    }

    @Test
    void thePackageListComesFromTheFixturesRpmdb() throws IOException {
        assertThat(container.get("collect")).containsExactly("collect: 152 packages", "## exit 0");
        List<PackageVersion> packages = CollectStep.packages(Files.readString(stageOut.resolve("packages.tsv")));

        // rpm -qa's own output: name-version-release.arch
        assertThat(packages.stream().map(El7FixtureIT::nvra).sorted().toList())
                .isEqualTo(container.get("rpm -qa").stream().sorted().toList());
        // and the RPM files the fixture was made from
        assertThat(packages.stream().map(p -> nvra(p) + ".rpm").sorted().toList())
                .isEqualTo(El7Fixture.get().rpmFiles().stream().sorted().toList());
        Map<String, String> epochs = new HashMap<>();
        for (String l : container.get("epochs")) {
            String[] f = l.split(" ");
            epochs.put(f[0], f[1]);
        }
        for (PackageVersion p : packages) {
            String epoch = epochs.get(p.name() + "." + p.arch());
            assertThat(p.version()).as(p.name()).startsWith(epoch.equals("(none)") ? "" : epoch + ":");
            assertThat(p.version().contains(":")).as(p.name()).isEqualTo(!epoch.equals("(none)"));
        }
        assertThat(packages).hasSize(152).contains(
                new PackageVersion("bash", "4.2.46-34.el7", "x86_64"),
                new PackageVersion("nfs-utils", "1:1.3.0-0.68.el7", "x86_64"),
                new PackageVersion("initscripts", "9.49.53-1.el7", "x86_64"),
                new PackageVersion("dhclient", "12:4.2.5-83.el7.centos.1", "x86_64"),
                new PackageVersion("basesystem", "10.0-7.el7.centos", "noarch"));
        assertThat(packages.stream().filter(p -> p.version().contains(":")).count())
                .isEqualTo(epochs.values().stream().filter(e -> !e.equals("(none)")).count()).isEqualTo(16);
        // rpm's queries leave no Berkeley DB environment in the image.
        assertThat(container.get("rpm files")).noneMatch(f -> f.startsWith("__db"));
    }

    @Test
    void theReproducibleStepClampsToCentosReleasesBuildTimeFromTheRealRpmdb() throws IOException {
        El7Fixture fixture = El7Fixture.get();
        Path tmp = fixture.newDirectory("reproducible-");
        Path root = fixture.copyRoot(tmp.resolve("root"));
        StageInput step = Stages.REPRODUCIBLE.input(context("el7"));
        Path stage = tmp.resolve("stage");
        step.extractTo(stage);
        Path out = Files.createDirectory(tmp.resolve("out"));
        List<String> options = new ArrayList<>(List.of("--cap-add", "SYS_ADMIN", "--security-opt", "apparmor=unconfined",
                "-v", root + ":/build/root", "-v", stage + ":/build/stage:ro", "-v", out + ":/build/out"));
        step.environment("/build/root", "/build/out").forEach((k, v) -> options.addAll(List.of("-e", k + "=" + v)));

        // As the build runs it (CentOS 7's sh, awk, od and rpm 4.11), then rpm's own answer to compare.
        El7Fixture.Docker.Run run = El7Fixture.Docker.container(120, options, fixture.image(), "sh", "-c",
                "sh /build/stage/" + step.script() + " && rpm --root /build/root -q --qf '%{BUILDTIME}' centos-release");

        assertThat(run.code()).as(run.output()).isZero();
        String buildTime = run.lines().get(run.lines().size() - 1);
        assertThat(buildTime).matches("\\d{10}");
        assertThat(Files.readString(out.resolve("source-date-epoch")))
                .matches(buildTime + "\tpackage centos-release 7-9\\.2009\\.\\S+\n");
        long day = Long.parseLong(buildTime) / 86400;
        for (String line : Files.readAllLines(root.resolve("etc/shadow"))) {
            String[] f = line.split(":", -1);
            if (f[2].matches("\\d+")) {
                assertThat(Long.parseLong(f[2])).as(line).isLessThanOrEqualTo(day);
            }
        }
        // The log copyRoot left, emptied; and the fixture's shared root, hardlinked, untouched (copyRoot checks).
        assertThat(root.resolve("var/log/yum.log")).isEmptyFile();
        fixture.copyRoot(tmp.resolve("again"));
    }

    private static String nvra(PackageVersion p) {
        String v = p.version().contains(":") ? p.version().substring(p.version().indexOf(':') + 1) : p.version();
        return p.name() + "-" + v + "." + p.arch();
    }

    private static Map<String, String> withoutTimes(Map<String, String> snapshot) {
        Map<String, String> out = new TreeMap<>();
        snapshot.forEach((k, v) -> out.put(k, v.replaceAll(" (ino|mtime|ctime)=\\S+", "")));
        return out;
    }

    private static Map<String, List<String>> sections(List<String> lines) {
        Map<String, List<String>> out = new HashMap<>();
        List<String> current = null;
        for (String l : lines) {
            if (l.startsWith("## ") && !l.startsWith("## exit")) {
                current = new ArrayList<>();
                out.put(l.substring(3), current);
            } else if (current != null && !l.contains("warning: setlocale: LC_ALL: cannot change locale")) {
                // (CentOS 7 has no C.UTF-8 locale, which the build sets for every stage.)
                current.add(l);
            }
        }
        return out;
    }

    private static Path spec(String example) {
        return Path.of("examples", example + ".yaml");
    }

    private static BuildContext context(String example) {
        return new BuildContext(SpecLoader.load(spec(example)), SourceTree.locate());
    }
}

package io.rocluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.InMemoryFileSystem;
import io.rocluster.RoclusterException;
import io.rocluster.spec.ImageSpec.Mode;
import io.rocluster.spec.ImageSpec.Profile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Loading: defaults, list merging, and one test per kind of mistake with the message a user sees. */
@ExtendWith(InMemoryFileSystem.class)
class SpecLoaderTest {

    private static final String MINIMAL = """
            name: compute
            profile: el7
            nfs:
              server: 10.0.2.2
            """;

    @InMemoryFileSystem.Root
    Path dir;

    @Test
    void minimalSpecGetsTheReferenceDefaults() {
        ImageSpec s = SpecLoader.parse(MINIMAL, "spec.yaml");

        assertThat(s.name()).isEqualTo("compute");
        assertThat(s.readonly().mode()).isEqualTo(Mode.DISKLESS);
        assertThat(s.readonly().rwMount()).isEqualTo("/var/lib/stateless/writable");
        assertThat(s.readonly().stateMount()).isEqualTo("/var/lib/stateless/state");
        assertThat(s.readonly().slaveMounts()).isTrue();
        assertThat(s.readonly().rwLabel()).isEmpty();
        assertThat(s.rwtab().dirs()).containsExactly("/var/lock", "/var/lib/gssproxy");
        assertThat(s.rwtab().files()).containsExactly("/etc/localtime", "/var/lib/postfix/master.lock");
        assertThat(s.statetab()).containsExactly("/var/log", "/etc/ssh");
        assertThat(s.units().disable()).containsExactly("systemd-readahead-collect.service");
        assertThat(s.initramfs().modules()).containsExactly("nfs", "network", "base", "kernel-modules");
        assertThat(s.nfs().masterRoot()).isEqualTo("/data/cluster");
        assertThat(s.nfs().version()).isEqualTo(4);
        assertThat(s.selinux()).isEqualTo(ImageSpec.Selinux.DISABLED);
        assertThat(s.sshHostKeys()).isEqualTo(ImageSpec.SshHostKeys.PER_CLIENT);
        assertThat(s.fileCapabilities()).isEqualTo(ImageSpec.FileCapabilities.KEEP);
        assertThat(s.packages()).isEmpty();
    }

    @Test
    void debian12UsesNetworkLegacyAndOmitsTheModulesThatHangTheNfsRoot() {
        ImageSpec s = SpecLoader.parse(MINIMAL.replace("el7", "debian12"), "spec.yaml");

        assertThat(s.initramfs().modules()).contains("network-legacy").doesNotContain("network");
        assertThat(s.initramfs().omitModules())
                .containsExactly("systemd-networkd", "network-manager", "connman", "plymouth", "ifcfg");
        assertThat(s.units().disable()).doesNotContain("systemd-readahead-collect.service");
    }

    @Test
    void userListsExtendDefaultsAndBangRemovesADefault() {
        ImageSpec s = SpecLoader.parse(MINIMAL + """
                rwtab:
                  files: ["!/var/lib/postfix/master.lock", /etc/adjtime, /etc/localtime]
                statetab: [/var/lib/chrony]
                sshHostKeys: shared
                """, "spec.yaml");

        assertThat(s.rwtab().files()).containsExactly("/etc/localtime", "/etc/adjtime");
        assertThat(s.statetab()).containsExactly("/var/log", "/var/lib/chrony");
    }

    @Test
    void sourceDateEpochIsDecidedFromThePackagesOrAPastNumberOfSeconds() {
        assertThat(SpecLoader.parse(MINIMAL, "spec.yaml").sourceDateEpoch()).isEqualTo("distribution-release");
        assertThat(SpecLoader.parse(MINIMAL, "spec.yaml").fixedSourceDateEpoch()).isEmpty();
        assertThat(SpecLoader.parse(MINIMAL + "sourceDateEpoch: newest-package\n", "spec.yaml").fixedSourceDateEpoch())
                .isEmpty();
        assertThat(SpecLoader.parse(MINIMAL + "sourceDateEpoch: 1700000000\n", "spec.yaml").fixedSourceDateEpoch())
                .hasValue(1700000000L);

        assertThat(messages(() -> SpecLoader.parse(MINIMAL + "sourceDateEpoch: yesterday\n", "spec.yaml")))
                .singleElement().asString().startsWith("sourceDateEpoch: 'yesterday' is not distribution-release,"
                        + " newest-package or a number of seconds since 1970");
        assertThat(messages(() -> SpecLoader.parse(MINIMAL + "sourceDateEpoch: 99999999999\n", "spec.yaml")))
                .singleElement().asString().startsWith("sourceDateEpoch: 99999999999 lies in the future (5138-")
                .contains("use a past time or distribution-release");
    }

    @Test
    void jsonInputLoadsLikeYaml() {
        ImageSpec json = SpecLoader.parse("""
                {"name": "compute", "profile": "el7", "nfs": {"server": "10.0.2.2", "version": 3},
                 "rwtab": {"dirs": ["/var/cache/man"]}}
                """, "spec.json");

        assertThat(json.nfs().version()).isEqualTo(3);
        assertThat(json.rwtab().dirs()).endsWith("/var/cache/man");
    }

    @Test
    void jsonFileIsReadAsStrictJson() throws Exception {
        Path f = dir.resolve("spec.json");
        Files.writeString(f, "{\"name\": \"compute\",\n \"profile\": \"el7\",\n \"nfs\": {\"server\": \"10.0.2.2\",}}");

        assertThat(messages(() -> SpecLoader.load(f)))
                .singleElement().asString().startsWith("bad JSON syntax: ").contains("(line 3,");
    }

    @Test
    void unknownFieldNamesItsPathLineAndTheAllowedFields() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + "  masterroot: /x\n", "spec.yaml"));

        assertThat(m).containsExactly("nfs.masterroot: unknown field (did you mean 'masterRoot'?); allowed here:"
                + " server, masterRoot, version, options (line 5, column 3)");
    }

    @Test
    void badEnumValueListsTheAllowedOnes() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL.replace("el7", "centos7"), "spec.yaml"));

        assertThat(m).containsExactly("profile: 'centos7' is not one of el7, debian12 (line 2, column 10)");
    }

    @Test
    void nonAbsoluteAndUnnormalisedPathsAreRefused() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + """
                rwtab:
                  files: [etc/adjtime, /var//lib, /var/../etc, "/var/my dir"]
                """, "spec.yaml"));

        assertThat(m).containsExactly(
                "rwtab.files[0]: 'etc/adjtime' is not an absolute path; write it from the root, e.g. /etc/adjtime (line 6, column 11)",
                "rwtab.files[1]: '/var//lib' is not normalised; write /var/lib (line 6, column 24)",
                "rwtab.files[2]: '/var/../etc' contains '..'; write the path without . or .. segments (line 6, column 35)",
                "rwtab.files[3]: '/var/my dir' contains whitespace or shell special characters;"
                        + " paths may use letters, digits and / . _ + @ : , = ~ - (line 6, column 48)");
    }

    @Test
    void diskfulWithoutLabelsSaysWhatEachLabelIs() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + "readonly:\n  mode: diskful\n", "spec.yaml"));

        assertThat(m).containsExactly(
                "readonly.rwLabel: required for diskful clients: the label of the local partition that holds the"
                        + " writable paths (initscripts' default is stateless-rw) (line 6, column 3)",
                "readonly.stateLabel: required for diskful clients: the label of the local partition that holds the"
                        + " client's state (initscripts' default is stateless-state) (line 6, column 3)");
    }

    @Test
    void diskfulWithLabelsNeedsNoServer() {
        ImageSpec s = SpecLoader.parse("""
                name: c
                profile: el7
                readonly: {mode: diskful, rwLabel: stateless-rw, stateLabel: stateless-state}
                """, "spec.yaml");

        assertThat(s.nfs().server()).isEmpty();
        assertThat(s.readonly().rwLabel()).isEqualTo("stateless-rw");
    }

    @Test
    void disklessWithoutServerSaysWhyItIsNeeded() {
        List<String> m = messages(() -> SpecLoader.parse("name: c\nprofile: el7\n", "spec.yaml"));

        assertThat(m).containsExactly("nfs.server: required for diskless clients: their state lives on the master"
                + " (CLIENTSTATE=<server>:<masterRoot>/state); set the address clients reach the master at");
    }

    @Test
    void disklessWithLabelsIsRefused() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + "readonly:\n  rwLabel: x\n", "spec.yaml"));

        assertThat(m).containsExactly("readonly.rwLabel: only diskful clients use local partitions; remove it,"
                + " or set readonly.mode: diskful (line 6, column 12)");
    }

    @Test
    void nfsVersionMustBeThreeOrFour() {
        assertThat(messages(() -> SpecLoader.parse(MINIMAL + "  version: 2\n", "spec.yaml")))
                .containsExactly("nfs.version: 2 is not one of 3, 4 (line 5, column 12)");
        assertThat(messages(() -> SpecLoader.parse(MINIMAL + "  version: four\n", "spec.yaml")))
                .containsExactly("nfs.version: expected a whole number, got 'four' (line 5, column 12)");
    }

    @Test
    void badYamlSyntaxIsOneLineWithItsLocation() {
        List<String> m = messages(() -> SpecLoader.parse("name: c\nrwtab: {dirs: [/a, /b}\n", "spec.yaml"));

        assertThat(m).singleElement().asString()
                .startsWith("bad YAML syntax: ")
                .doesNotContain("\n")
                .contains("(line 2,");
    }

    @Test
    void emptyFileSaysHowToGetAnExample() throws Exception {
        Path f = dir.resolve("empty.yaml");
        Files.writeString(f, "# nothing yet\n");

        assertThatThrownBy(() -> SpecLoader.load(f))
                .isInstanceOf(SpecException.class)
                .hasMessage(f + ": 1 error in the spec; fix it and run `rocluster validate " + f + "` again:"
                        + System.lineSeparator()
                        + "  the spec is empty; `rocluster init` prints a commented example");
    }

    @Test
    void missingFileIsOneClearLine() {
        Path f = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> SpecLoader.load(f))
                .isInstanceOf(RoclusterException.class)
                .hasMessage("spec file " + f + " not found; write one with `rocluster init > " + f + "`");
    }

    @Test
    void directoryAndNonUtf8FilesAreRefused() throws Exception {
        assertThatThrownBy(() -> SpecLoader.load(dir)).hasMessageContaining("is a directory");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SpecLoader.load(latin1)).hasMessageContaining("is not UTF-8 text");
    }

    @Test
    void allMistakesOfASpecAreReportedTogetherInFileOrder() {
        List<String> m = messages(() -> SpecLoader.parse("""
                name: "bad name"
                profile: el8
                packages: openssh-server
                readonly:
                  mode: sometimes
                  slaveMounts: maybe
                rwtab:
                  dir: [/x]
                units:
                  disable: [sshd]
                nfs:
                  server: 10.0.2.2
                  version: 5
                """, "spec.yaml"));

        assertThat(m).containsExactly(
                "name: 'bad name' is not a valid name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (line 1, column 7)",
                "profile: 'el8' is not one of el7, debian12 (line 2, column 10)",
                "packages: expected a list, e.g. [a, b] or one '- item' per line, got 'openssh-server' (line 3, column 11)",
                "readonly.mode: 'sometimes' is not one of diskless, diskful (line 5, column 9)",
                "readonly.slaveMounts: expected true or false, got 'maybe' (line 6, column 16)",
                "rwtab.dir: unknown field (did you mean 'dirs'?); allowed here: dirs, empty, files (line 8, column 3)",
                "units.disable[0]: 'sshd' is not a systemd unit name; write the full name with its type, e.g. foo.service or foo.timer (line 10, column 13)",
                "nfs.version: 5 is not one of 3, 4 (line 13, column 12)");
    }

    @Test
    void duplicatesAreRefused() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + """
                statetab: [/var/lib/chrony, /var/lib/chrony]
                name: again
                """, "spec.yaml"));

        assertThat(m).containsExactly(
                "statetab[1]: '/var/lib/chrony' is already given at statetab[0]; keep one (line 5, column 29)",
                "name: given twice (first at line 1, column 1); keep one (line 6, column 1)");
    }

    @Test
    void removingSomethingThatIsNotADefaultIsAnError() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + "statetab: ['!/var/spool']\n", "spec.yaml"));

        assertThat(m).containsExactly("statetab[0]: '!/var/spool' removes nothing: '/var/spool' is not a default of"
                + " statetab (defaults: /var/log, /etc/ssh) (line 5, column 12)");
    }

    @Test
    void aPathIsEitherRwtabOrStatetab() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + "rwtab:\n  dirs: [/var/log]\n", "spec.yaml"));

        assertThat(m).containsExactly("statetab: '/var/log' is also in rwtab.dirs; an entry belongs to one of them:"
                + " remove one (a default is removed with \"!/var/log\")");
    }

    @Test
    void wrongShapesSayWhatWasExpected() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + """
                rwtab: [/x]
                units: {disable: [{a: b}]}
                initramfs: {cmdline: [a]}
                """, "spec.yaml"));

        assertThat(m).containsExactly(
                "rwtab: expected a map with the fields dirs, empty, files, got a list (line 5, column 8)",
                "units.disable[0]: expected a text value, got a map (line 6, column 19)",
                "initramfs.cmdline: expected a text value, got a list (line 7, column 22)");
    }

    @Test
    void documentMustBeAMap() {
        assertThat(messages(() -> SpecLoader.parse("- a\n- b\n", "spec.yaml")))
                .singleElement().asString().startsWith("expected a map with the fields name, profile,");
    }

    @Test
    void shellUnsafeTextAndRootInCmdlineAreRefused() {
        List<String> m = messages(() -> SpecLoader.parse(MINIMAL + """
                readonly: {rwOptions: "-o size=$(reboot)"}
                initramfs: {cmdline: "root=nfs:x:/y quiet"}
                """, "spec.yaml"));

        assertThat(m).containsExactly(
                "readonly.rwOptions: '-o size=$(reboot)' contains '$'; quotes, $, backquotes, backslashes and control"
                        + " characters are not allowed (line 5, column 23)",
                "initramfs.cmdline: root= is set by rocluster from nfs.* and the deployed version; remove it (line 6, column 22)");
    }

    @Test
    void selinuxNeedsEl7() {
        assertThat(messages(() -> SpecLoader.parse(MINIMAL.replace("el7", "debian12") + "selinux: enforcing\n", "s.yaml")))
                .containsExactly("selinux: 'enforcing' needs the el7 profile: debian12 images carry no SELinux policy;"
                        + " use disabled (line 5, column 10)");
    }

    @Test
    void yamlAliasesAreRefusedRatherThanMisread() {
        assertThat(messages(() -> SpecLoader.parse(MINIMAL + "statetab: [&a /var/x, *a]\n", "s.yaml")))
                .containsExactly("statetab[1]: YAML aliases (*a) are not supported; write the value out (line 5, column 23)");
    }

    @Test
    void nullValueMeansAbsent() {
        ImageSpec s = SpecLoader.parse(MINIMAL + "packages:\nstatetab:\n", "s.yaml");

        assertThat(s.packages()).isEmpty();
        assertThat(s.statetab()).contains("/var/log");
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void effectiveSpecWrittenOutLoadsToItself(Profile profile) {
        ImageSpec s = SpecLoader.parse(MINIMAL.replace("el7", SpecBinder.enumName(profile)) + """
                rwtab:
                  files: ["!/var/lib/postfix/master.lock"]
                initramfs:
                  omitModules: [plymouth]
                """, "spec.yaml");

        String yaml = SpecWriter.toYaml(s);

        assertThat(yaml).contains("- '!/var/lib/postfix/master.lock'");
        assertThat(SpecLoader.parse(yaml, "validate output")).isEqualTo(s);
        assertThat(SpecLoader.parse(SpecWriter.toJson(s), "validate output")).isEqualTo(s);
    }

    static List<String> messages(Runnable load) {
        try {
            load.run();
        } catch (SpecException e) {
            return e.errors().stream().map(SpecError::toString).toList();
        }
        throw new AssertionError("the spec loaded without errors");
    }
}

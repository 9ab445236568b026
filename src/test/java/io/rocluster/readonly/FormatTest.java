package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered files against the EL7 rules of FACTS.md, and read back by bash exactly as their consumers read
 * them: readonly-root and dracut.conf are sourced, rwtab is read with {@code read type path}, statetab split
 * from {@code $(grep -v '^#' …)} (initscripts 9.49, rhel-readonly).
 */
class FormatTest {

    private static final List<String> READONLY_KEYS = List.of("READONLY", "TEMPORARY_STATE", "RW_MOUNT", "RW_LABEL",
            "RW_OPTIONS", "STATE_LABEL", "STATE_MOUNT", "STATE_OPTIONS", "CLIENTSTATE", "SLAVE_MOUNTS");

    @TempDir
    Path tmp;

    private static ImageSpec example(String name) {
        return SpecLoader.load(Path.of("examples", name + ".yaml"));
    }

    private static ImageSpec spec(String yaml) {
        return SpecLoader.parse(yaml, "test.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"el7", "el7-diskful", "debian12", "debian12-diskful"})
    void readonlyRootIsKeyEqualsValueForEveryInitscriptsVariable(String name) {
        String text = ReadOnlyConfig.of(example(name)).file("/etc/sysconfig/readonly-root").orElseThrow().content();

        List<String> keys = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("#")) {
                continue;
            }
            assertThat(line).matches("[A-Z_]+=([A-Za-z0-9/._:,=+@-]*|\"[^\"$`\\\\]*\")");
            keys.add(line.substring(0, line.indexOf('=')));
        }
        if (name.endsWith("diskful")) {
            assertThat(keys).containsExactlyInAnyOrderElementsOf(READONLY_KEYS);
        } else {
            assertThat(keys).containsExactlyInAnyOrderElementsOf(
                    READONLY_KEYS.stream().filter(k -> !k.endsWith("_LABEL")).toList());
            assertThat(text).contains("\n#RW_LABEL=stateless-rw\n", "\n#STATE_LABEL=stateless-state\n");
        }
    }

    @Test
    void disklessReadonlyRootAsTheShellSeesIt() throws Exception {
        String vars = source(ReadOnlyConfig.of(example("el7")).file("/etc/sysconfig/readonly-root").orElseThrow());

        assertThat(vars.lines()).containsExactly(
                "READONLY=yes", "TEMPORARY_STATE=yes", "RW_MOUNT=/var/lib/stateless/writable", "RW_LABEL=<unset>",
                "RW_OPTIONS=-o size=512m", "STATE_LABEL=<unset>", "STATE_MOUNT=/var/lib/stateless/state",
                "STATE_OPTIONS=", "CLIENTSTATE=192.168.100.1:/data/cluster/state", "SLAVE_MOUNTS=yes");
    }

    @Test
    void diskfulReadonlyRootAsTheShellSeesIt() throws Exception {
        ImageSpec s = spec("""
                name: c
                profile: el7
                readonly: {mode: diskful, rwLabel: cl-rw, stateLabel: cl-state, stateOptions: "-o noatime",
                           slaveMounts: false, rwMount: /rw, stateMount: /state}
                """);

        String vars = source(ReadOnlyConfig.of(s).file("/etc/sysconfig/readonly-root").orElseThrow());

        assertThat(vars.lines()).containsExactly(
                "READONLY=yes", "TEMPORARY_STATE=yes", "RW_MOUNT=/rw", "RW_LABEL=cl-rw", "RW_OPTIONS=",
                "STATE_LABEL=cl-state", "STATE_MOUNT=/state", "STATE_OPTIONS=-o noatime", "CLIENTSTATE=",
                "SLAVE_MOUNTS=no");
    }

    @ParameterizedTest
    @ValueSource(strings = {"el7", "debian12"})
    void rwtabLinesAreKindTabPathAndReadBackAsTheSpecSays(String name) throws Exception {
        ImageSpec s = example(name);
        RenderedFile rwtab = ReadOnlyConfig.of(s).file("/etc/rwtab.d/rocluster").orElseThrow();
        for (String line : rwtab.content().lines().toList()) {
            assertThat(line).matches("#.*|(dirs|empty|files)\t/\\S+");
        }

        String read = bash(rwtab, "while read -r type path; do case $type in dirs|empty|files) echo \"$type $path\";; esac; done < \"$1\"");

        List<String> expected = new ArrayList<>();
        s.rwtab().dirs().forEach(p -> expected.add("dirs " + p));
        s.rwtab().empty().forEach(p -> expected.add("empty " + p));
        s.rwtab().files().forEach(p -> expected.add("files " + p));
        assertThat(read.lines()).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"el7", "debian12"})
    void statetabIsOnePathPerLineAndSplitsBackIntoTheSpecPaths(String name) throws Exception {
        ImageSpec s = example(name);
        RenderedFile statetab = ReadOnlyConfig.of(s).file("/etc/statetab.d/rocluster").orElseThrow();
        for (String line : statetab.content().lines().toList()) {
            assertThat(line).matches("#.*|/\\S+");
        }

        String read = bash(statetab, "for path in $(grep -v '^#' \"$1\"); do echo \"$path\"; done");

        assertThat(read.lines()).containsExactlyElementsOf(s.statetab());
    }

    @Test
    void dracutConfSourcedAfterAnotherFileAddsToItsLists() throws Exception {
        RenderedFile conf = ReadOnlyConfig.of(example("debian12")).file("/etc/dracut.conf.d/rocluster.conf").orElseThrow();

        String vars = bash(conf, "add_dracutmodules=' earlier '; hostonly=yes; . \"$1\";"
                + " printf '%s|%s|%s|%s|%s\\n' \"$hostonly\" \"$add_dracutmodules\" \"$omit_dracutmodules\""
                + " \"$add_drivers\" \"$kernel_cmdline\"");

        assertThat(vars).isEqualTo("no| earlier  nfs network-legacy base kernel-modules | systemd-networkd network-manager"
                + " connman plymouth ifcfg | e1000 virtio_net |console=tty0 console=ttyS0,115200n8\n");
    }

    @Test
    void el7DracutConfHasTheReferenceModulesAndNoOmissions() {
        String conf = ReadOnlyConfig.of(example("el7")).file("/etc/dracut.conf.d/rocluster.conf").orElseThrow().content();

        assertThat(conf).contains("hostonly=\"no\"\n", "add_dracutmodules+=\" nfs network base kernel-modules \"\n",
                "add_drivers+=\" e1000e igb virtio_net \"\n").doesNotContain("omit_dracutmodules", "root=");
    }

    @Test
    void fstabHasTheReferenceMountsAndNoRootLine() {
        String fstab = ReadOnlyConfig.of(example("el7")).file("/etc/fstab").orElseThrow().content();

        List<String> mounts = fstab.lines().filter(l -> !l.startsWith("#"))
                .map(l -> {
                    String[] f = l.split("\\s+");
                    assertThat(f).hasSize(6);
                    return f[0] + " " + f[1] + " " + f[2];
                }).toList();
        assertThat(mounts).containsExactly("tmpfs /tmp tmpfs", "tmpfs /dev/shm tmpfs", "sysfs /sys sysfs", "proc /proc proc");
    }

    @Test
    void selinuxConfigOnlyOnEl7() {
        assertThat(ReadOnlyConfig.of(example("el7")).file("/etc/selinux/config").orElseThrow().content())
                .contains("\nSELINUX=disabled\n", "\nSELINUXTYPE=targeted\n");
        assertThat(ReadOnlyConfig.of(spec("name: c\nprofile: el7\nnfs: {server: m}\nselinux: permissive\n"))
                .file("/etc/selinux/config").orElseThrow().content()).contains("\nSELINUX=permissive\n");
        assertThat(ReadOnlyConfig.of(example("debian12")).file("/etc/selinux/config")).isEmpty();
    }

    @Test
    void sharedKeysAreGeneratedAtBuildAndNeedNoDropIn() {
        ReadOnlyConfig c = ReadOnlyConfig.of(spec("name: c\nprofile: debian12\nnfs: {server: m}\nsshHostKeys: shared\n"));

        assertThat(c.plan().actions()).extracting(PlanAction::toString)
                .contains("ssh-host-keys shared").doesNotContain("mkdir /etc/ssh");
        assertThat(c.files()).extracting(RenderedFile::path).noneMatch(p -> p.contains("ssh"));
    }

    @Test
    void planFollowsTheSpecUnitsAndEnsuresItsPaths() {
        ReadOnlyConfig c = ReadOnlyConfig.of(spec("""
                name: c
                profile: el7
                nfs: {server: m}
                units: {disable: ["!systemd-readahead-collect.service", postfix.service], mask: [tuned.service]}
                rwtab: {empty: [/var/cache/foo], files: [/etc/adjtime]}
                readonly: {rwMount: /rw}
                """));

        assertThat(c.plan().actions()).extracting(PlanAction::toString)
                .contains("disable postfix.service", "mask tuned.service", "mkdir /rw", "mkdir /var/cache/foo",
                        "touch /etc/adjtime")
                .doesNotContain("disable systemd-readahead-collect.service")
                .endsWith("disable postfix.service", "mask tuned.service");
        for (String line : c.plan().render().lines().toList()) {
            assertThat(line).matches("|#.*|[a-z-]+ \\S+");
        }
    }

    @Test
    void sameSpecRendersSameBytes() {
        assertThat(ReadOnlyConfig.of(example("debian12"))).isEqualTo(ReadOnlyConfig.of(example("debian12")));
    }

    /** Sources {@code file} in bash with -u and prints each readonly-root variable ("<unset>" when unset). */
    private String source(RenderedFile file) throws Exception {
        StringBuilder script = new StringBuilder("set -u; . \"$1\"");
        for (String k : READONLY_KEYS) {
            script.append("; echo \"").append(k).append("=${").append(k).append("-<unset>}\"");
        }
        return bash(file, script.toString());
    }

    private String bash(RenderedFile file, String script) throws IOException, InterruptedException {
        Path f = tmp.resolve("file");
        Files.writeString(f, file.content(), StandardCharsets.UTF_8);
        Path out = tmp.resolve("out");
        Process p = new ProcessBuilder("bash", "-c", script, "bash", f.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}

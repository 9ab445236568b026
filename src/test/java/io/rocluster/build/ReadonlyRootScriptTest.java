package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the debian12 image's readonly-root script (stages/debian12/files/usr/libexec/rocluster/readonly-root)
 * with bash against a fake root in a temporary directory: its test overrides print each mount instead
 * of running it, while the copies into the RW and state areas happen for real under the fake root.
 * Booting proves the mounts (BootIT); this proves the parsing and the EL7 rules.
 */
class ReadonlyRootScriptTest {

    private static final Path SCRIPT = Path.of("stages/debian12/files/usr/libexec/rocluster/readonly-root");

    @TempDir
    Path root;

    record Run(int status, List<String> mounts, String output) {}

    @BeforeEach
    void image() throws IOException {
        mkdirs("etc/sysconfig", "etc/rwtab.d", "etc/statetab.d", "var/lib/stateless/writable",
                "var/lib/stateless/state", "var/lib/dhcp/leases", "var/log/apt", "var/lib/systemd", "var/tmp");
        write("var/lib/dhcp/leases/eth0.lease", "lease");
        write("var/log/apt/history.log", "installed things");
        write("etc/adjtime", "0.0 0 0.0\n0\nUTC\n");
        write("var/lib/systemd/random-seed", "seed");
        Files.setPosixFilePermissions(root.resolve("var/tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @Test
    void nothingHappensUnlessReadonlyOrTemporaryStateIsOn() throws Exception {
        write("etc/rwtab.d/x", "files /etc/adjtime\n");
        Run r = run("", Map.of());
        assertThat(r.status()).isZero();
        assertThat(r.mounts()).isEmpty();
        assertThat(r.output()).contains("READONLY=no TEMPORARY_STATE=no: nothing to do");
    }

    @Test
    void rwtabKindsAreCopiedAsEl7DoesAndOnlyOutermostPathsAreBound() throws Exception {
        settings("READONLY=yes", "RW_OPTIONS=\"-o size=64m\"");
        write("etc/rwtab", "empty /var/tmp\n");
        write("etc/rwtab.d/rocluster", String.join("\n",
                "dirs /var/lib/dhcp",
                "files /etc/adjtime",
                "files /var/lib/dhcp/leases",
                "# a comment",
                "",
                "empty /not/in/the/image",
                "bogus /var/log") + "\n");
        write("etc/rwtab.d/rocluster~", "files /var/lib/systemd\n"); // editor backup: ignored

        Run r = run("", Map.of());

        assertThat(r.status()).isZero();
        assertThat(r.mounts()).containsExactly(
                "mount -n -t tmpfs -o size=64m none /var/lib/stateless/writable",
                "mount -n --bind --make-slave /var/lib/stateless/writable/var/tmp /var/tmp",
                "mount -n --bind --make-slave /var/lib/stateless/writable/var/lib/dhcp /var/lib/dhcp",
                "mount -n --bind --make-slave /var/lib/stateless/writable/etc/adjtime /etc/adjtime");
        Path rw = root.resolve("var/lib/stateless/writable");
        // empty: the directory alone, with its mode
        assertThat(rw.resolve("var/tmp")).isEmptyDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rw.resolve("var/tmp")))).isEqualTo("rwxrwxrwx");
        // dirs: the tree without files; files nested under it still brought their content
        assertThat(rw.resolve("var/lib/dhcp/leases")).isDirectory();
        assertThat(rw.resolve("var/lib/dhcp/leases/eth0.lease")).hasContent("lease");
        assertThat(rw.resolve("etc/adjtime")).hasContent("0.0 0 0.0\n0\nUTC");
        assertThat(rw.resolve("var/lib/systemd")).doesNotExist();
        assertThat(rw.resolve("not")).doesNotExist();
    }

    @Test
    void dirsCopiesTheDirectoryTreeButNoFiles() throws Exception {
        settings("READONLY=yes");
        write("etc/rwtab.d/r", "dirs /var/lib/dhcp\n");
        run("", Map.of());
        Path copy = root.resolve("var/lib/stateless/writable/var/lib/dhcp");
        assertThat(copy.resolve("leases")).isEmptyDirectory();
    }

    @Test
    void clientStateIsMountedPerHostnameSeededOnFirstUseAndNeverOverwritten() throws Exception {
        settings("READONLY=yes", "CLIENTSTATE=10.0.2.2:/data/cluster/state", "SLAVE_MOUNTS=no");
        write("etc/statetab.d/rocluster", "# kept across boots\n/var/log /var/lib/systemd/random-seed\n/not/there\n");

        Run first = run("", Map.of());
        assertThat(first.status()).isZero();
        assertThat(first.mounts()).containsExactly(
                "mount -n -t tmpfs none /var/lib/stateless/writable",
                "mount -t nfs 10.0.2.2:/data/cluster/state/node1.cluster.test /var/lib/stateless/state -o rw,nolock",
                "mount -n --bind /var/lib/stateless/state/var/log /var/log",
                "mount -n --bind /var/lib/stateless/state/var/lib/systemd/random-seed /var/lib/systemd/random-seed");
        Path state = root.resolve("var/lib/stateless/state");
        assertThat(state.resolve("var/log/apt/history.log")).hasContent("installed things");

        // What the client wrote last boot stays; the image's copy does not come back over it.
        write("var/lib/stateless/state/var/log/apt/history.log", "written by the client");
        run("", Map.of());
        assertThat(state.resolve("var/log/apt/history.log")).hasContent("written by the client");
    }

    @Test
    void theStateAreaMayListMorePathsAndOverrideAStatetabFile() throws Exception {
        settings("READONLY=yes", "CLIENTSTATE=srv:/state");
        write("etc/statetab", "/var/log\n");
        write("var/lib/stateless/state/etc/statetab", "/var/lib/systemd\n");
        write("var/lib/stateless/state/files", "/etc/adjtime\n");

        Run r = run("", Map.of());

        assertThat(r.mounts()).contains(
                "mount -n --bind --make-slave /var/lib/stateless/state/etc/statetab /etc/statetab",
                "mount -n --bind --make-slave /var/lib/stateless/state/var/lib/systemd /var/lib/systemd",
                "mount -n --bind --make-slave /var/lib/stateless/state/etc/adjtime /etc/adjtime");
        assertThat(r.mounts()).noneMatch(m -> m.endsWith(" /var/log"));
    }

    @Test
    void kernelArgumentsOverrideTheSettingAsOnEl7() throws Exception {
        settings("READONLY=no");
        write("etc/rwtab", "empty /var/tmp\n");
        assertThat(run("quiet readonlyroot", Map.of()).mounts()).hasSize(2);

        settings("READONLY=yes");
        assertThat(run("noreadonlyroot readonlyroot", Map.of()).mounts()).isEmpty();
    }

    @Test
    void temporaryStateAloneTurnsTheRwAreaOn() throws Exception {
        settings("READONLY=no", "TEMPORARY_STATE=yes");
        write("etc/rwtab", "empty /var/tmp\n");
        assertThat(run("", Map.of()).mounts()).hasSize(2);
    }

    @Test
    void anRwAreaNamedInFstabIsUsedInsteadOfATmpfs() throws Exception {
        settings("READONLY=yes");
        write("etc/fstab", "# rw area\nLABEL=scratch /var/lib/stateless/writable ext4 defaults 0 0\n");
        write("var/lib/stateless/writable/leftover", "from the last boot");
        Run r = run("", Map.of());
        assertThat(r.mounts()).first().isEqualTo("mount /var/lib/stateless/writable");
        assertThat(root.resolve("var/lib/stateless/writable/leftover")).doesNotExist();
    }

    @Test
    void diskfulTheLabelledPartitionsAreMountedTheRwAreaWipedBeforeTheRwtabCopiesAndTheStateSeededOnce()
            throws Exception {
        settings("READONLY=yes", "RW_LABEL=stateless-rw", "STATE_LABEL=stateless-state", "CLIENTSTATE=");
        write("etc/rwtab", "empty /var/tmp\nfiles /etc/adjtime\n");
        write("etc/statetab.d/rocluster", "/var/log\n");
        // What the last boot left in the RW area, and the state it kept.
        write("var/lib/stateless/writable/var/tmp/leftover", "from the last boot");
        write("var/lib/stateless/writable/etc/adjtime", "changed last boot");
        write("var/lib/stateless/state/var/log/apt/history.log", "kept from the last boot");
        // blkid as rhel-readonly calls it: -t LABEL=… -l -o device.
        Path blkid = root.resolveSibling("fake-blkid");
        Files.writeString(blkid, "#!/bin/sh\n[ \"$# $1 $3 $4 $5\" = \"5 -t -l -o device\" ] || exit 2\n"
                + "case \"$2\" in LABEL=stateless-rw) echo /dev/vdb1 ;; LABEL=stateless-state) echo /dev/vdb2 ;; *) exit 2 ;; esac\n");
        Files.setPosixFilePermissions(blkid, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run r = run("", Map.of("ROCLUSTER_RO_BLKID", blkid.toString()));

        assertThat(r.status()).as(r.output()).isZero();
        assertThat(r.mounts()).containsExactly(
                "mount /dev/vdb1 /var/lib/stateless/writable",
                "mount -n --bind --make-slave /var/lib/stateless/writable/var/tmp /var/tmp",
                "mount -n --bind --make-slave /var/lib/stateless/writable/etc/adjtime /etc/adjtime",
                "mount /dev/vdb2 /var/lib/stateless/state",
                "mount -n --bind --make-slave /var/lib/stateless/state/var/log /var/log");
        assertThat(r.output()).contains("RW area: /dev/vdb1 (label stateless-rw) on /var/lib/stateless/writable (wiped)",
                "state area: /dev/vdb2 (label stateless-state) on /var/lib/stateless/state");
        Path rw = root.resolve("var/lib/stateless/writable");
        assertThat(rw.resolve("var/tmp")).isEmptyDirectory();
        assertThat(rw.resolve("etc/adjtime")).hasContent("0.0 0 0.0\n0\nUTC");
        Path state = root.resolve("var/lib/stateless/state");
        assertThat(state.resolve("var/log/apt/history.log")).hasContent("kept from the last boot");
    }

    @Test
    void aMissingRwMountPointIsAClearFailure() throws Exception {
        settings("READONLY=yes", "RW_MOUNT=/var/lib/elsewhere");
        Run r = run("", Map.of());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.output()).contains("RW_MOUNT /var/lib/elsewhere is not a directory in the image");
    }

    private void settings(String... lines) throws IOException {
        write("etc/sysconfig/readonly-root", String.join("\n", lines) + "\n");
    }

    private Run run(String cmdline, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toAbsolutePath().toString()).redirectErrorStream(true);
        pb.environment().putAll(Map.of(
                "ROCLUSTER_RO_PREFIX", root.toString(),
                "ROCLUSTER_RO_CMDLINE", cmdline,
                "ROCLUSTER_RO_HOSTNAME", "node1.cluster.test",
                "ROCLUSTER_RO_DRYRUN", "1"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> mounts = out.lines().filter(l -> l.startsWith("mount ")).toList();
        return new Run(p.exitValue(), mounts, out);
    }

    private void mkdirs(String... dirs) throws IOException {
        for (String d : dirs) {
            Files.createDirectories(root.resolve(d));
        }
    }

    private void write(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}

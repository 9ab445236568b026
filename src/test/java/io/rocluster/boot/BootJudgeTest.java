package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootJudgeTest {

    private static final Accelerator TCG = new Accelerator("tcg", "test");
    private static final BootJudge.Ending POWERED_OFF = new BootJudge.Ending(false, true, 0, "", 120);

    @TempDir
    Path master;

    private BootTestRequest req;

    @BeforeEach
    void layout() throws IOException {
        Files.createDirectories(master.resolve("images/v1"));
        Files.createDirectories(master.resolve("state/node1.cluster.test"));
        req = new BootTestRequest("v1", master.resolve("images"), master.resolve("state"), "/data/cluster", "10.0.2.2",
                "node1.cluster.test", BootMode.PXE, master.resolve("k"), master.resolve("i"), "", "", Map.of(), "tok-42",
                Duration.ofSeconds(600), null, "6.1.0-50-amd64", null);
    }

    private static String report(String token, String hostname, String state, String failed, String root, String rw,
            String st) {
        return "node1 login: ROCLUSTER-BOOTCHECK {\"token\":\"" + token + "\",\"hostname\":\"" + hostname + "\","
                + "\"kernel\":\"6.1.0-50-amd64\",\"systemState\":\"" + state + "\",\"multiUser\":true,\"pendingJobs\":[],"
                + "\"failedUnits\":[" + failed + "],\"root\":" + root + ",\"rwtab\":[" + rw + "],\"statetab\":[" + st + "]}";
    }

    private static final String NFS_RO_ROOT = "{\"source\":\"10.0.2.2:/data/cluster/images/v1/root\",\"fstype\":\"nfs4\","
            + "\"options\":\"ro,relatime\",\"readOnly\":true,\"writeRefused\":true}";
    private static final String RW_OK = "{\"kind\":\"empty\",\"path\":\"/var/tmp\",\"writable\":true}";
    private static final String ST_LOG = "{\"path\":\"/var/log\",\"mounted\":true,\"marker\":\"/var/log/rocluster-bootcheck\"}";

    private BootVerdict judge(String... consoleLines) {
        ConsoleWatch watch = new ConsoleWatch();
        for (String l : consoleLines) {
            watch.accept(l);
        }
        return BootJudge.judge(req, watch, POWERED_OFF, TCG, "2026-01-01T00:00:00Z", 130, "/log", List.of());
    }

    private void clientWrote(String rel, String content) throws IOException {
        Path p = master.resolve("state/node1.cluster.test").resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void passesWhenEveryCheckHoldsAndTheMarkerReachedTheStateDirectory() throws IOException {
        clientWrote("var/log/rocluster-bootcheck", "tok-42\n");
        clientWrote("var/log/journal/x/system.journal", "j");

        BootVerdict v = judge(report("tok-42", "node1.cluster.test", "running", "", NFS_RO_ROOT, RW_OK, ST_LOG));

        assertThat(v.passed()).as(v.reason()).isTrue();
        assertThat(v.reason()).startsWith("booted v1 by pxe: NFS root read-only, multi-user, no failed units, "
                + "1 rwtab paths writable, 1 statetab paths persisted in ");
        assertThat(v.facts().statetabPersisted()).containsExactly("/var/log");
        assertThat(v.facts().stateFiles()).containsExactly("var/log/journal/x/system.journal", "var/log/rocluster-bootcheck");
        assertThat(v.mode()).isEqualTo("pxe");
        assertThat(v.version()).isEqualTo("v1");
    }

    @Test
    void aMarkerFromAnEarlierBootDoesNotCountAsPersisted() throws IOException {
        clientWrote("var/log/rocluster-bootcheck", "tok-OLD\n");
        BootVerdict v = judge(report("tok-42", "node1.cluster.test", "running", "", NFS_RO_ROOT, RW_OK, ST_LOG));
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).contains("statetab paths not persisted in").contains("/var/log");
    }

    @Test
    void failedUnitsAWritableRootAndAReadOnlyRwtabPathAreEachNamed() throws IOException {
        clientWrote("var/log/rocluster-bootcheck", "tok-42");
        String rwRoot = NFS_RO_ROOT.replace("\"ro,relatime\",\"readOnly\":true,\"writeRefused\":true",
                "\"rw,relatime\",\"readOnly\":false,\"writeRefused\":false");
        BootVerdict v = judge(report("tok-42", "node1.cluster.test", "degraded",
                "\"systemd-logind.service\",\"systemd-tmpfiles-setup.service\"", rwRoot,
                "{\"kind\":\"files\",\"path\":\"/var/lib/systemd\",\"writable\":false}", ST_LOG));
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).contains("failed units: systemd-logind.service, systemd-tmpfiles-setup.service")
                .contains("/ is writable (mount options rw,relatime)")
                .contains("rwtab paths not writable: /var/lib/systemd");
        assertThat(v.facts().failedUnits()).hasSize(2);
    }

    @Test
    void aSymlinkInRwtabIsListedButNotHeldAgainstTheImage() throws IOException {
        clientWrote("var/log/rocluster-bootcheck", "tok-42");
        BootVerdict v = judge(report("tok-42", "node1.cluster.test", "running", "", NFS_RO_ROOT,
                RW_OK + ",{\"kind\":\"files\",\"path\":\"/etc/localtime\",\"writable\":false,\"symlink\":true}", ST_LOG));
        assertThat(v.passed()).as(v.reason()).isTrue();
        assertThat(v.facts().rwtabSymlinks()).containsExactly("/etc/localtime");
        assertThat(v.facts().rwtabWritable()).containsExactly("/var/tmp");
    }

    @Test
    void aRootFromTheWrongVersionOrNotFromNfsFails() {
        BootVerdict other = judge(report("tok-42", "node1.cluster.test", "running", "",
                NFS_RO_ROOT.replace("/images/v1/root", "/images/v0/root"), RW_OK, ST_LOG));
        assertThat(other.reason()).contains("/ comes from 10.0.2.2:/data/cluster/images/v0/root, not from /data/cluster/images/v1/root");

        BootVerdict local = judge(report("tok-42", "node1.cluster.test", "running", "",
                NFS_RO_ROOT.replace("nfs4", "ext4"), RW_OK, ST_LOG));
        assertThat(local.reason()).contains("/ is ext4 from");
    }

    @Test
    void aGuestWithAnotherNameOrAnotherBootsTokenFails() {
        BootVerdict v = judge(report("tok-1", "localhost", "running", "", NFS_RO_ROOT, RW_OK, ST_LOG));
        assertThat(v.reason()).contains("token 'tok-1'").contains("calls itself 'localhost', not node1.cluster.test");
    }

    @Test
    void anImageWithoutRwtabOrStatetabCannotPass() {
        BootVerdict v = judge(report("tok-42", "node1.cluster.test", "running", "", NFS_RO_ROOT, "", ""));
        assertThat(v.reason()).contains("no rwtab path exists in the image").contains("no statetab path exists in the image");
    }

    /** The console of a real boot of the debian12 example built without dracut's nfs module (dracut 059). */
    @Test
    void anInitramfsWithoutNfsSupportFailsWithWhatItLacks() {
        ConsoleWatch watch = new ConsoleWatch();
        watch.accept("[    0.0] Linux version 6.1.0-50-amd64");
        watch.accept("Welcome to Debian GNU/Linux 12 (bookworm) dracut-059-4 (Initramfs)!");
        watch.accept("[   18.6] dracut-cmdline[130]: //lib/dracut/hooks/cmdline/92-parse-ibft.sh: line 4: /lib/net-lib.sh: "
                + "No such file or directory");
        watch.accept("[  OK  ] Reached target initrd-root\u2026get - Initrd Root File System.");
        watch.accept("[  OK  ] Reached target initrd-switch-root.target - Switch Root.");
        watch.accept("[FAILED] Failed to start initrd-switch-root.service - Switch Root.");
        watch.accept("Generating \"/run/initramfs/rdsosreport.txt\"");
        watch.accept("Entering emergency mode. Exit the shell to continue.");
        List<String> lacks = List.of("usr/lib/dracut/modules.txt does not list nfs", "no lib/dracut/hooks/cmdline/*-parse-nfsroot.sh");
        BootVerdict v = BootJudge.judge(req, watch, new BootJudge.Ending(false, false, null, "", 40), TCG, "t", 55, "/log",
                lacks);

        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).isEqualTo("emergency shell in the initramfs after switch-root failed (nothing usable was "
                + "mounted as the root); got as far as: initramfs reached initrd-root-fs.target; last error: [FAILED] Failed "
                + "to start initrd-switch-root.service - Switch Root.; the initramfs cannot mount an NFS root: "
                + "usr/lib/dracut/modules.txt does not list nfs; no lib/dracut/hooks/cmdline/*-parse-nfsroot.sh "
                + "(dracut's nfs module: spec initramfs.modules)");
        assertThat(v.facts().hostname()).isNull();
        assertThat(v.facts().initramfsProblems()).isEqualTo(lacks);
    }

    @Test
    void anInitramfsThatHasNfsButStopsSaysWhatElseToCheck() {
        ConsoleWatch watch = new ConsoleWatch();
        watch.accept("[    0.0] Linux version 6.1.0-50-amd64");
        watch.accept("[    3.1] dracut-cmdline[190]: dracut-059-4 (Initramfs)");
        watch.accept("[  183.2] dracut-initqueue[300]: Warning: dracut-initqueue: timeout, still waiting for following initqueue hooks:");
        watch.accept("[  183.3] dracut-initqueue[300]: Warning: Could not boot.");
        watch.accept("Entering emergency mode. Exit the shell to continue.");
        BootVerdict v = BootJudge.judge(req, watch, new BootJudge.Ending(false, false, null, "", 200), TCG, "t", 210, "/log",
                List.of());
        assertThat(v.reason()).startsWith("emergency shell in the initramfs; got as far as: initramfs (dracut)")
                .contains("last error: [  183.2] dracut-initqueue[300]: Warning: dracut-initqueue: timeout")
                .endsWith("(the initramfs did not mount the NFS root: check the NIC driver, the server address and the export)");
    }

    @Test
    void aTimeoutSaysWhereTheBootStood() {
        ConsoleWatch watch = new ConsoleWatch();
        watch.accept("[  OK  ] Reached target initrd-root-fs.target - Initrd Root File System.");
        watch.accept("Welcome to Debian GNU/Linux 12 (bookworm)!");
        watch.accept("[ ***  ] Job systemd-tmpfiles-setup.service/start running (55s / no limit)");
        BootVerdict v = BootJudge.judge(req, watch, new BootJudge.Ending(true, false, null, "", 600), TCG, "t", 610, "/log",
                List.of());
        assertThat(v.reason()).startsWith("no boot-check report within 600 s; got as far as: switched to the NFS root")
                .contains("(the system did not reach multi-user.target)")
                .endsWith("last console line: [ ***  ] Job systemd-tmpfiles-setup.service/start running (55s / no limit)");
    }
}

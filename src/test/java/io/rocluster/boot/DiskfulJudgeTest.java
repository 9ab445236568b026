package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.boot.BootVerdict.DiskBoot;
import io.rocluster.readonly.DiskLayout;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diskful checks on boot-check reports as the image's bootcheck writes them, with the disk's files in a map
 * (GuestDiskTest reads real ones): each boot's areas and paths from the labelled partitions, the markers on
 * the disk, the RW area wiped and the state kept at the reboot, the master's directory untouched.
 */
class DiskfulJudgeTest {

    private static final Accelerator TCG = new Accelerator("tcg", "test");
    private static final BootJudge.Ending POWERED_OFF = new BootJudge.Ending(false, true, 0, "", 120);
    private static final String ROOT = "{\"source\":\"10.0.2.2:/data/cluster/images/v1/root\",\"fstype\":\"nfs4\","
            + "\"options\":\"ro,relatime\",\"readOnly\":true,\"writeRefused\":true}";

    @TempDir
    Path master;

    private BootTestRequest req;
    private DiskLayout layout;
    /** The disk's files: "label:path" to content. */
    private final Map<String, String> disk = new HashMap<>();

    @BeforeEach
    void request() throws IOException {
        Files.createDirectories(master.resolve("images/v1"));
        Files.createDirectories(master.resolve("state"));
        layout = DiskLayout.of(SpecLoader.load(Path.of("examples/debian12-diskful.yaml")), 64 << 20, 128 << 20);
        req = new BootTestRequest("v1", master.resolve("images"), master.resolve("state"), "/data/cluster", "10.0.2.2",
                "node1.cluster.test", BootMode.PXE, master.resolve("k"), master.resolve("i"),
                "root=x rocluster.boottest=tok", "APPEND root=x rocluster.boottest=tok", Map.of(), "tok",
                Duration.ofSeconds(600), null, "6.1.0-50-amd64", layout);
    }

    /** The disk's files from the map. */
    private final DiskfulJudge.PartitionFiles files = new DiskfulJudge.PartitionFiles() {
        @Override
        public Optional<String> read(DiskLayout.Partition p, String path) {
            return Optional.ofNullable(disk.get(p.label() + ":" + path));
        }

        @Override
        public List<String> files(DiskLayout.Partition p, int limit) {
            return disk.keySet().stream().filter(k -> k.startsWith(p.label() + ":/")).map(k -> k.substring(k.indexOf(":/") + 2))
                    .sorted().limit(limit).toList();
        }
    };

    /** What the guest wrote, as the disk then holds it. */
    private void guestWrote(String token) {
        disk.put("stateless-rw:/rocluster-bootcheck", token + "\n");
        disk.put("stateless-state:/var/log/rocluster-bootcheck", token + "\n");
    }

    private static String area(String role, String mount, String source, String fstype, String label, String previous) {
        return "{\"role\":\"" + role + "\",\"mount\":\"" + mount + "\",\"mounted\":true,\"source\":\"" + source
                + "\",\"fstype\":\"" + fstype + "\",\"label\":\"" + label + "\",\"previous\":\"" + previous
                + "\",\"written\":true}";
    }

    private static final String RW_AREA = area("rw", "/var/lib/stateless/writable", "/dev/vda1", "ext4", "stateless-rw", "");
    private static final String STATE_AREA = area("state", "/var/lib/stateless/state", "/dev/vda2", "ext4", "stateless-state", "");

    private static String report(String token, String rwSource, String stSource, String stPrevious, String... areas) {
        return "ROCLUSTER-BOOTCHECK {\"token\":\"" + token + "\",\"hostname\":\"node1.cluster.test\",\"kernel\":\"6.1\","
                + "\"systemState\":\"running\",\"multiUser\":true,\"pendingJobs\":[],\"failedUnits\":[],\"root\":" + ROOT
                + ",\"rwtab\":[{\"kind\":\"empty\",\"path\":\"/var/tmp\",\"writable\":true,\"symlink\":false,\"source\":\""
                + rwSource + "\"},{\"kind\":\"files\",\"path\":\"/etc/localtime\",\"writable\":false,\"symlink\":true,"
                + "\"source\":\"10.0.2.2:/data/cluster/images/v1/root\"}]"
                + ",\"statetab\":[{\"path\":\"/var/log\",\"mounted\":true,\"marker\":\"/var/log/rocluster-bootcheck\","
                + "\"source\":\"" + stSource + "\",\"previous\":\"" + stPrevious + "\"}]"
                + ",\"areas\":[" + String.join(",", areas) + "]"
                + ",\"blockMounts\":[\"/dev/vda1 /var/lib/stateless/writable ext4 rw,relatime 0 0\","
                + "\"/dev/vda2 /var/lib/stateless/state ext4 rw,relatime 0 0\"]}";
    }

    private DiskBoot boot(BootTestRequest r, int n, DiskBoot previous, String... lines) throws IOException {
        ConsoleWatch watch = new ConsoleWatch();
        for (String l : lines) {
            watch.accept(l);
        }
        return DiskfulJudge.boot(r, n, watch, POWERED_OFF, TCG, files, previous, "/log", List.of());
    }

    private DiskBoot firstBoot() throws IOException {
        guestWrote("tok");
        DiskBoot b = boot(req, 1, null, report("tok", "/dev/vda1", "/dev/vda2", "", RW_AREA, STATE_AREA));
        assertThat(b.passed()).as(b.reason()).isTrue();
        return b;
    }

    @Test
    void aBootOnTheLabelledPartitionsPassesAndSaysWhichPartitionServedWhat() throws IOException {
        DiskBoot b = firstBoot();

        assertThat(b.served()).containsExactly(
                new BootVerdict.Served("rw", "/var/lib/stateless/writable", "/dev/vda1", "ext4", "stateless-rw",
                        List.of("/var/tmp")),
                new BootVerdict.Served("state", "/var/lib/stateless/state", "/dev/vda2", "ext4", "stateless-state",
                        List.of("/var/log")));
        assertThat(b.onDisk()).containsExactly(new BootVerdict.OnDisk("stateless-rw", "/rocluster-bootcheck", "tok"),
                new BootVerdict.OnDisk("stateless-state", "/var/log/rocluster-bootcheck", "tok"));
        assertThat(b.facts().statetabPersisted()).containsExactly("/var/log");
        assertThat(b.facts().stateFiles()).containsExactly("var/log/rocluster-bootcheck");
        assertThat(b.facts().rwtabSymlinks()).containsExactly("/etc/localtime");
        assertThat(b.blockMounts()).hasSize(2);
        assertThat(b.reason()).contains("RW area /dev/vda1 (stateless-rw) on /var/lib/stateless/writable with 1 rwtab paths",
                "state /dev/vda2 (stateless-state) on /var/lib/stateless/state with 1 statetab paths kept");
    }

    @Test
    void theRebootFindsTheStateKeptAndTheRwAreaWiped() throws IOException {
        DiskBoot first = firstBoot();
        BootTestRequest second = req.withToken("tok-2");
        assertThat(second.pxelinuxConfig()).isEqualTo("APPEND root=x rocluster.boottest=tok-2");
        assertThat(second.kernelCmdline()).isEqualTo("root=x rocluster.boottest=tok-2");
        guestWrote("tok-2");

        DiskBoot b = boot(second, 2, first, report("tok-2", "/dev/vda1", "/dev/vda2", "tok", RW_AREA, STATE_AREA));

        assertThat(b.passed()).as(b.reason()).isTrue();
        assertThat(b.stateCarried()).containsExactly(new BootVerdict.Carried("/var/log", "tok", "tok", true));
        assertThat(b.rwLeftover()).isEmpty();
        assertThat(b.reason()).contains("boot 1's marker wiped from the RW area", "boot 1's markers still in /var/log");

        BootVerdict v = DiskfulJudge.verdict(req, List.of(first, b), untouched(), 2, "t", 300);
        assertThat(v.passed()).as(v.reason()).isTrue();
        assertThat(v.facts()).isNull();
        assertThat(v.reason()).isEqualTo("booted v1 2 times by pxe on one local disk: RW area on partition 1 (stateless-rw), "
                + "wiped at the reboot; state on partition 2 (stateless-state), kept across it (/var/log); nothing written to "
                + master.resolve("state/node1.cluster.test"));
        assertThat(v.diskful().disk()).isEqualTo(layout.partitions());
        assertThat(v.summary()).anyMatch(l -> l.contains("rw area /var/lib/stateless/writable: /dev/vda1 ext4 label stateless-rw"));
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(v.toJson());
        assertThat(json.path("facts").isNull()).isTrue();
        assertThat(json.path("diskful").path("disk").get(0).toString()).isEqualTo("{\"number\":1,\"role\":\"rw\","
                + "\"label\":\"stateless-rw\",\"startBytes\":1048576,\"sizeBytes\":67108864,"
                + "\"mountPoint\":\"/var/lib/stateless/writable\"}");
        assertThat(json.path("diskful").path("boots").get(1).path("stateCarried").get(0).path("found").asText()).isEqualTo("tok");
    }

    @Test
    void aRebootThatFindsTheFirstBootsRwMarkerOrLosesItsStateFails() throws IOException {
        DiskBoot first = firstBoot();
        BootTestRequest second = req.withToken("tok-2");
        guestWrote("tok-2");
        String notWiped = area("rw", "/var/lib/stateless/writable", "/dev/vda1", "ext4", "stateless-rw", "tok");

        DiskBoot b = boot(second, 2, first, report("tok-2", "/dev/vda1", "/dev/vda2", "", notWiped, STATE_AREA));

        assertThat(b.passed()).isFalse();
        assertThat(b.reason()).contains("the RW area still held the marker 'tok' of an earlier boot: readonly-root did not "
                + "wipe the stateless-rw partition")
                .contains("what boot 1 wrote in its statetab paths is gone after the reboot: /var/log (found '')");
        BootVerdict v = DiskfulJudge.verdict(req, List.of(first, b), untouched(), 2, "t", 300);
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).startsWith("boot 2: ");
    }

    @Test
    void anRwAreaInRamMeansTheLabelWasNotFound() throws IOException {
        guestWrote("tok");
        String tmpfs = area("rw", "/var/lib/stateless/writable", "none", "tmpfs", "", "");

        DiskBoot b = boot(req, 1, null, report("tok", "none", "/dev/vda2", "", tmpfs, STATE_AREA));

        assertThat(b.passed()).isFalse();
        assertThat(b.reason()).contains("the RW area on /var/lib/stateless/writable is tmpfs from none, not the partition: "
                + "readonly-root found no partition labelled stateless-rw at boot (does the initramfs load the disk's driver? "
                + "spec initramfs.drivers, e.g. virtio_blk)");
        assertThat(b.served().get(0).device()).isEqualTo("none");
    }

    @Test
    void aPartitionWithAnotherLabelOrPathsBoundFromElsewhereFail() throws IOException {
        guestWrote("tok");
        String otherLabel = area("state", "/var/lib/stateless/state", "/dev/vda2", "ext4", "scratch", "");
        DiskBoot b = boot(req, 1, null, report("tok", "none", "/dev/vda2", "", RW_AREA, otherLabel));

        assertThat(b.reason()).contains("the state area on /var/lib/stateless/state comes from /dev/vda2 labelled 'scratch', "
                + "not stateless-state")
                .contains("rwtab paths not bound from the stateless-rw partition (/dev/vda1): /var/tmp (from none)");
    }

    @Test
    void aMarkerTheHostDoesNotFindOnThePartitionFails() throws IOException {
        disk.put("stateless-rw:/rocluster-bootcheck", "tok\n");
        disk.put("stateless-state:/var/log/rocluster-bootcheck", "tok-OLD\n");

        DiskBoot b = boot(req, 1, null, report("tok", "/dev/vda1", "/dev/vda2", "", RW_AREA, STATE_AREA));

        assertThat(b.passed()).isFalse();
        assertThat(b.reason()).contains("statetab paths not kept on the stateless-state partition (/dev/vda2): /var/log");
        assertThat(b.onDisk()).contains(new BootVerdict.OnDisk("stateless-state", "/var/log/rocluster-bootcheck", "tok-OLD"));
    }

    @Test
    void aFirstBootWithoutReportStopsTheTestAndAWriteToTheMasterFailsIt() throws IOException {
        DiskBoot silent = boot(req, 1, null, "SeaBIOS (version 1.16.2)");
        assertThat(silent.passed()).isFalse();

        BootVerdict v = DiskfulJudge.verdict(req, List.of(silent), untouched(), 2, "t", 300);
        assertThat(v.reason()).contains("boot 1: ", "no reboot: boot 1 did not report");

        Path dir = master.resolve("state/node1.cluster.test");
        Map<String, String> before = DiskfulJudge.snapshot(dir);
        Files.createDirectories(dir.resolve("var/log"));
        Files.writeString(dir.resolve("var/log/rocluster-bootcheck"), "tok\n");
        BootVerdict.MasterState changed = DiskfulJudge.masterState(dir, before, DiskfulJudge.snapshot(dir));
        assertThat(changed.untouched()).isFalse();
        assertThat(changed.changes()).containsExactly("added (the directory itself)", "added var", "added var/log",
                "added var/log/rocluster-bootcheck");
        BootVerdict wrote = DiskfulJudge.verdict(req, List.of(firstBoot()), changed, 1, "t", 300);
        assertThat(wrote.passed()).isFalse();
        assertThat(wrote.reason()).contains("a diskful client wrote to its directory on the master");
    }

    private BootVerdict.MasterState untouched() throws IOException {
        Path dir = master.resolve("state/node1.cluster.test");
        Map<String, String> s = DiskfulJudge.snapshot(dir);
        return DiskfulJudge.masterState(dir, s, DiskfulJudge.snapshot(dir));
    }
}

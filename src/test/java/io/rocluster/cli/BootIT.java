package io.rocluster.cli;

import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole chain with real parts, through the CLI as an operator runs it: build the debian12 example
 * (Docker; the stage cache makes a rebuild quick), master init, deploy, promote, then {@code boot-test}
 * with a real NFS-Ganesha and QEMU: through iPXE and pxelinux, then with {@code --direct-kernel}; and a
 * broken image (a spec that leaves dracut's nfs module out of the initramfs) that must fail with a clear
 * reason and be refused by {@code promote --require-boot-test}; and the diskful example (built from the same
 * cached stages: only readonly and initramfs run) booted twice on a local disk with {@code --diskful}.
 *
 * <p>Work goes to {@code target/boot-it/}; an artefact already built there is reused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootIT {

    private static final Path WORK = Path.of("target/boot-it").toAbsolutePath();
    private static final Path OUT = WORK.resolve("out");
    private static final Path MASTER = WORK.resolve("master");
    private static final Path EXAMPLE = Path.of("examples/debian12.yaml").toAbsolutePath();
    private static final String GOOD = "boot-it";
    private static final String BROKEN = "boot-it-nonfs";
    private static final String DISKFUL = "boot-it-diskful";
    private static final Path DISKFUL_EXAMPLE = Path.of("examples/debian12-diskful.yaml").toAbsolutePath();
    private static final String CLIENT = "node01.boot-it.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> timings = new ArrayList<>();

    /** Exit code, stdout and stderr interleaved as a terminal shows them, and stdout alone (for --json). */
    record Run(int code, String out, String stdout) {}

    @BeforeAll
    static void master() throws IOException {
        Files.createDirectories(WORK);
        FileTrees.delete(MASTER);
        Run init = rocluster("master", "init", "--master", MASTER.toString(), "--server", "10.0.2.2",
                "--clients", "10.0.2.0/24");
        assertThat(init.code()).as(init.out()).isZero();
    }

    @AfterAll
    static void report() {
        timings.forEach(t -> System.out.println("BootIT timing " + t));
    }

    @Test
    @Order(1)
    void theExampleBootsThroughPxeReadOnlyFromNfsAndKeepsItsStateOnTheMaster() throws IOException {
        Path artefact = build(EXAMPLE, GOOD);
        assertThat(rocluster("deploy", "--master", MASTER.toString(), artefact.toString()).code()).isZero();
        assertThat(rocluster("promote", "--master", MASTER.toString(), GOOD).code()).isZero();

        Run test = timed("boot-test pxe", "boot-test", "--master", MASTER.toString(), GOOD, "--client-name", CLIENT);

        JsonNode v = verdict(GOOD);
        assertThat(test.code()).as(test.out() + v.toPrettyString()).isZero();
        assertThat(v.path("passed").asBoolean()).isTrue();
        assertThat(v.path("version").asText()).isEqualTo(GOOD);
        assertThat(v.path("mode").asText()).isEqualTo("pxe");
        assertThat(test.out()).contains("boot-test " + GOOD + ": PASSED");
        JsonNode f = v.path("facts");
        assertThat(f.path("hostname").asText()).isEqualTo(CLIENT);
        assertThat(f.path("systemState").asText()).isEqualTo("running");
        assertThat(f.path("multiUser").asBoolean()).isTrue();
        assertThat(f.path("failedUnits")).isEmpty();
        assertThat(f.path("root").path("fstype").asText()).isEqualTo("nfs4");
        assertThat(f.path("root").path("source").asText()).isEqualTo("10.0.2.2:/data/cluster/images/" + GOOD + "/root");
        assertThat(f.path("root").path("readOnly").asBoolean()).isTrue();
        assertThat(f.path("root").path("writeRefused").asBoolean()).isTrue();
        assertThat(texts(f.path("rwtabWritable"))).contains("/var/tmp", "/var/lib/systemd", "/var/lib/dhcp");
        assertThat(f.path("rwtabNotWritable")).isEmpty();
        assertThat(texts(f.path("statetabPersisted"))).contains("/var/log");
        // The PXE path, from the console: iPXE got pxelinux.0 by TFTP, pxelinux loaded the menu's kernel.
        List<String> evidence = texts(f.path("evidence"));
        assertThat(evidence).anyMatch(l -> l.equals("Filename: pxelinux.0") || l.startsWith("Next server: 10.0.2.2"))
                .anyMatch(l -> l.startsWith("PXELINUX"))
                .anyMatch(l -> l.contains("Command line: BOOT_IMAGE=images/" + GOOD + "/vmlinuz root=nfs4:10.0.2.2:"))
                .anyMatch(l -> l.contains("Reached target") && l.contains("Multi-User System"));
        evidence.forEach(l -> System.out.println("BootIT evidence: " + l));

        // Checked from the host after power-off: what the client wrote is in its state directory.
        Path state = MASTER.resolve("state").resolve(CLIENT);
        assertThat(state.resolve("var/log/rocluster-bootcheck")).isRegularFile();
        try (Stream<Path> journals = Files.walk(state.resolve("var/log/journal"))) {
            assertThat(journals.filter(p -> p.getFileName().toString().equals("system.journal"))).isNotEmpty();
        }
        try (Stream<Path> files = Files.walk(state)) {
            files.filter(Files::isRegularFile).sorted()
                    .forEach(p -> System.out.println("BootIT state: " + state.relativize(p) + " " + size(p)));
        }
        assertThat(MASTER.resolve("images").resolve(GOOD).resolve("boot-test.log")).isRegularFile();

        Run promote = rocluster("promote", "--master", MASTER.toString(), "--require-boot-test", GOOD);
        assertThat(promote.code()).as(promote.out()).isZero();
    }

    @Test
    @Order(2)
    void directKernelBootPassesToo() throws IOException {
        Run test = timed("boot-test direct-kernel", "boot-test", "--master", MASTER.toString(), GOOD,
                "--client-name", CLIENT, "--direct-kernel", "--json");
        JsonNode v = verdict(GOOD);
        assertThat(test.code()).as(test.out() + v.toPrettyString()).isZero();
        // --json prints the verdict as boot-test.json holds it, and nothing else on stdout.
        assertThat(JSON.readTree(test.stdout())).isEqualTo(v);
        assertThat(v.path("mode").asText()).isEqualTo("direct-kernel");
        assertThat(texts(v.path("facts").path("evidence"))).noneMatch(l -> l.startsWith("PXELINUX"));
    }

    @Test
    @Order(3)
    void anInitramfsWithoutNfsFailsWithAClearReasonAndCannotBePromoted() throws IOException {
        String spec = Files.readString(EXAMPLE);
        assertThat(spec).contains("  modules: []").contains("  omitModules: []");
        Path broken = WORK.resolve("debian12-nonfs.yaml");
        Files.writeString(broken, spec.replace("  modules: []", "  modules: [\"!nfs\"]")
                .replace("  omitModules: []", "  omitModules: [nfs]"));
        Path artefact = build(broken, BROKEN);
        assertThat(rocluster("deploy", "--master", MASTER.toString(), artefact.toString()).code()).isZero();

        Run test = timed("boot-test broken", "boot-test", "--master", MASTER.toString(), BROKEN, "--client-name", CLIENT,
                "--json");

        JsonNode v = verdict(BROKEN);
        assertThat(test.code()).as(test.out()).isEqualTo(1);
        assertThat(JSON.readTree(test.stdout())).isEqualTo(v); // a failed test still prints its verdict
        assertThat(v.path("passed").asBoolean()).isFalse();
        String reason = v.path("reason").asText();
        System.out.println("BootIT broken reason: " + reason);
        assertThat(reason).contains("the initramfs cannot mount an NFS root")
                .contains("usr/lib/dracut/modules.txt does not list nfs");
        // It never got onto the NFS root: the initramfs stopped, with or without reaching its root target.
        assertThat(v.path("facts").path("stageReached").asText()).startsWith("initramfs");

        Run promote = rocluster("promote", "--master", MASTER.toString(), "--require-boot-test", BROKEN);
        assertThat(promote.code()).isEqualTo(1);
        assertThat(promote.out()).contains("boot-test");
        assertThat(Files.readSymbolicLink(MASTER.resolve("active")).toString()).endsWith(GOOD);
    }

    @Test
    @Order(4)
    void theDiskfulExampleKeepsItsStateOnItsOwnDiskAcrossARebootAndWipesItsRwArea() throws IOException {
        Path artefact = build(DISKFUL_EXAMPLE, DISKFUL);
        // Deployed on the same master as the diskless example: a diskful image bakes no master in.
        assertThat(rocluster("deploy", "--master", MASTER.toString(), artefact.toString()).code()).isZero();
        Run without = rocluster("boot-test", "--master", MASTER.toString(), DISKFUL, "--client-name", CLIENT);
        assertThat(without.code()).isEqualTo(1);
        assertThat(without.out()).contains("is a diskful image", "--diskful");
        // The same client as the diskless boots: its directory on the master exists (with what they left there), is
        // exported read-write during the test, and must stay as it is.
        assertThat(rocluster("clients", "add", "--master", MASTER.toString(), CLIENT).code()).isZero();
        Path state = MASTER.resolve("state").resolve(CLIENT);
        assertThat(state).isDirectory();

        Run test = timed("boot-test diskful (2 boots)", "boot-test", "--master", MASTER.toString(), DISKFUL,
                "--client-name", CLIENT, "--diskful");

        JsonNode v = verdict(DISKFUL);
        assertThat(test.code()).as(test.out() + v.toPrettyString()).isZero();
        assertThat(v.path("passed").asBoolean()).isTrue();
        assertThat(test.out()).contains("boot-test " + DISKFUL + ": PASSED (pxe, diskful, 2 boots");
        JsonNode d = v.path("diskful");
        assertThat(d.path("masterState").path("untouched").asBoolean()).as(d.path("masterState").toString()).isTrue();
        JsonNode boots = d.path("boots");
        assertThat(boots).hasSize(2);
        String token1 = boots.get(0).path("token").asText();
        for (JsonNode b : boots) {
            int n = b.path("boot").asInt();
            String token = b.path("token").asText();
            assertThat(b.path("passed").asBoolean()).as(b.path("reason").asText()).isTrue();
            JsonNode rw = b.path("served").get(0);
            JsonNode st = b.path("served").get(1);
            assertThat(rw.path("role").asText()).isEqualTo("rw");
            assertThat(rw.path("label").asText()).isEqualTo("stateless-rw");
            assertThat(rw.path("fstype").asText()).isEqualTo("ext4");
            assertThat(rw.path("mountPoint").asText()).isEqualTo("/var/lib/stateless/writable");
            assertThat(texts(rw.path("paths"))).contains("/var/tmp", "/var/lib/systemd", "/var/lib/dhcp");
            assertThat(st.path("label").asText()).isEqualTo("stateless-state");
            assertThat(texts(st.path("paths"))).contains("/var/log");
            assertThat(rw.path("device").asText()).startsWith("/dev/vd").isNotEqualTo(st.path("device").asText());
            // The mount table lines of the two partitions, as the guest listed them.
            List<String> mounts = texts(b.path("blockMounts"));
            assertThat(mounts).anyMatch(l -> l.startsWith(rw.path("device").asText() + " /var/lib/stateless/writable ext4 rw"))
                    .anyMatch(l -> l.startsWith(st.path("device").asText() + " /var/lib/stateless/state ext4 rw"))
                    .anyMatch(l -> l.startsWith(st.path("device").asText() + " /var/log ext4 rw"));
            mounts.forEach(l -> System.out.println("BootIT diskful boot " + n + " mount: " + l));
            // Read from the disk image on the host after power-off: this boot's markers are on the partitions.
            assertThat(b.path("onDisk")).anySatisfy(o -> {
                assertThat(o.path("partition").asText()).isEqualTo("stateless-state");
                assertThat(o.path("path").asText()).isEqualTo("/var/log/rocluster-bootcheck");
                assertThat(o.path("content").asText()).isEqualTo(token);
            });
            assertThat(b.path("rwLeftover").asText()).isEmpty();
            b.path("onDisk").forEach(o -> System.out.println("BootIT diskful boot " + n + " on disk: " + o));
        }
        // The reboot: what boot 1 wrote in /var/log was still there; boot 1's marker in the RW area was not.
        JsonNode reboot = boots.get(1);
        assertThat(reboot.path("stateCarried")).anySatisfy(k -> {
            assertThat(k.path("path").asText()).isEqualTo("/var/log");
            assertThat(k.path("found").asText()).isEqualTo(token1);
            assertThat(k.path("kept").asBoolean()).isTrue();
        });
        assertThat(boots.get(0).path("onDisk").get(0).path("content").asText()).isEqualTo(token1);
        System.out.println("BootIT diskful reason: " + v.path("reason").asText());
        System.out.println("BootIT diskful kept across the reboot: " + reboot.path("stateCarried"));
    }

    private static Path build(Path spec, String version) throws IOException {
        String name = spec.equals(DISKFUL_EXAMPLE) ? "compute-debian12-diskful" : "compute-debian12";
        Path artefact = OUT.resolve(name).resolve(version);
        if (Files.isRegularFile(artefact.resolve("SHA256SUMS"))) {
            return artefact;
        }
        Run build = timed("build " + version, "build", spec.toString(), "--version", version, "--output", OUT.toString(),
                "--json");
        assertThat(build.code()).as(build.out()).isZero();
        JsonNode b = JSON.readTree(build.stdout());
        assertThat(b.path("artefact").asText()).isEqualTo(artefact.toString());
        assertThat(b.path("version").asText()).isEqualTo(version);
        assertThat(b.path("kernelVersion").asText()).matches("\\d+\\.\\d+\\.\\d+-\\d+-amd64");
        assertThat(b.path("rootfs").asText())
                .isEqualTo(artefact.resolve(ArtefactDirectory.rootfsFileName(name, version)).toString());
        assertThat(b.path("rootfsSha256").asText()).matches("[0-9a-f]{64}");
        List<String> stages = new ArrayList<>();
        b.path("stages").fieldNames().forEachRemaining(stages::add);
        assertThat(stages).containsExactly("bootstrap", "packages", "initramfs", "readonly");
        assertThat(b.path("stageSeconds").has("collect")).isTrue();
        assertThat(b.has("cachedStages") && b.has("builderImageId") && b.has("capabilityFiles") && b.has("container")
                && b.has("signedBy")).isTrue();

        // Right after a build its four stages are the newest entries of the stage cache.
        Run cache = rocluster("cache", "list", "--json");
        assertThat(cache.code()).as(cache.out()).isZero();
        JsonNode entries = JSON.readTree(cache.stdout());
        List<String> cached = new ArrayList<>();
        for (JsonNode e : entries) {
            assertThat(e.path("digest").asText()).matches("[0-9a-f]{64}");
            assertThat(e.path("created").asText()).isNotEmpty();
            assertThat(e.path("size").asLong()).isPositive();
            assertThat(e.has("stage") && e.has("image")).isTrue();
            cached.add(e.path("stage").asText() + " " + e.path("digest").asText());
        }
        for (String stage : stages) {
            assertThat(cached).contains(stage + " " + b.path("stages").path(stage).asText());
        }
        return artefact;
    }

    private static JsonNode verdict(String version) throws IOException {
        return JSON.readTree(MASTER.resolve("images").resolve(version).resolve("boot-test.json").toFile());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Run timed(String what, String... args) {
        Instant t0 = Instant.now();
        Run r = rocluster(args);
        timings.add(what + ": " + Duration.between(t0, Instant.now()).toSeconds() + " s");
        return r;
    }

    /** Runs the CLI in-process; stdout and stderr are captured and still shown. */
    private static synchronized Run rocluster(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(new Tee(captured, new Tee(stdout, oldOut)), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(captured, oldErr), true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8), stdout.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String size(Path p) {
        try {
            return Files.size(p) + " B";
        } catch (IOException e) {
            return "?";
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}

package io.rocluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.master.CliProcess;
import io.rocluster.master.RealArtefacts;
import io.rocluster.master.TreeHash;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Push, pull, deploy and sync against a real registry (Debian's docker-registry on 127.0.0.1, storage in a
 * temporary directory) with the real debian12 artefacts the other integration tests build ({@link RealArtefacts}
 * it-a, and it-b with three more packages): storage growth and bytes fetched for the second version,
 * byte-identical pulls, two masters following {@code stable} forward and back, and the refusals.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryIT {

    static final Path WORK = RealArtefacts.WORK;
    static final String A = RealArtefacts.A;
    static final String B = RealArtefacts.B;

    static Path dir;
    static RegistryServer registry;
    static String repo;

    @BeforeAll
    static void start() throws Exception {
        assertThat(RegistryServer.available()).as("docker-registry is installed (./setup installs it)").isTrue();
        RealArtefacts.get(A);
        RealArtefacts.get(B);
        dir = Files.createTempDirectory("rocluster-registry-it");
        registry = RegistryServer.start(dir.resolve("registry"));
        repo = registry.host() + "/cluster/compute";
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }

    private static CliProcess.Run cli(String... args) throws Exception {
        return CliProcess.run(WORK, args);
    }

    private static CliProcess.Run ok(String... args) throws Exception {
        return cli(args).requireOk();
    }

    private static long initramfsIfDifferent() throws Exception {
        Map<String, String> a = Sha256Sums.read(RealArtefacts.get(A).resolve(Sha256Sums.FILE_NAME)).digests();
        Map<String, String> b = Sha256Sums.read(RealArtefacts.get(B).resolve(Sha256Sums.FILE_NAME)).digests();
        String n = ArtefactDirectory.INITRAMFS;
        return a.get(n).equals(b.get(n)) ? 0 : Files.size(RealArtefacts.get(B).resolve(n));
    }

    @Test
    @Order(1)
    void aSecondVersionCostsItsNewFramesInStorageAndTransfer() throws Exception {
        PushService push = new PushService(Map.of(), System.err);
        long empty = registry.storageBytes();
        PushService.Result pa = push.push(RealArtefacts.get(A), Reference.parse(repo + ":" + A));
        long afterA = registry.storageBytes();
        PushService.Result pb = push.push(RealArtefacts.get(B), Reference.parse(repo + ":" + B));
        long afterB = registry.storageBytes();
        long full = afterA - empty;
        long growth = afterB - afterA;
        long initramfs = initramfsIfDifferent();
        System.out.printf("registry storage: %d bytes empty, %d after pushing %s (%d of %d blobs uploaded), %d after"
                + " %s (%d of %d blobs uploaded, %d bytes)%n", empty, afterA, A, pa.uploaded(), pa.blobs(), afterB, B,
                pb.uploaded(), pb.blobs(), pb.uploadedBytes());
        System.out.printf("storage growth for %s: %d bytes = %.1f %% of a full version; %.1f %% without its initramfs"
                + " (%d bytes), which really differs%n", B, growth, 100.0 * growth / full,
                100.0 * (growth - initramfs) / full, initramfs);
        assertThat(pa.uploaded()).isEqualTo(pa.blobs());
        assertThat(growth - initramfs).isLessThanOrEqualTo(full / 4);

        // Pulls: the first fetches everything, the second only what it-a lacks; both byte-identical.
        Path store = dir.resolve("store");
        PullService pull = new PullService(Map.of(), System.err);
        PullService.Result ra = pull.pull(Reference.parse(repo + ":" + A), store, List.of());
        PullService.Result rb = pull.pull(Reference.parse(repo + ":" + B), store, List.of());
        System.out.printf("pull of %s fetched %d bytes in %d blobs; pull of %s next to it fetched %d bytes in %d blobs"
                + " (%.1f %%; %.1f %% without the initramfs), copied %d bytes from %s%n", A, ra.fetchedBytes(), ra.fetched(),
                B, rb.fetchedBytes(), rb.fetched(), 100.0 * rb.fetchedBytes() / ra.fetchedBytes(),
                100.0 * (rb.fetchedBytes() - initramfs) / ra.fetchedBytes(), rb.reusedBytes(), A);
        assertThat(ra.reusedBytes()).isZero();
        assertThat(rb.fetchedBytes() - initramfs).isLessThanOrEqualTo(ra.fetchedBytes() / 4);
        for (String v : List.of(A, B)) {
            assertIdentical(RealArtefacts.get(v), store.resolve("compute-debian12").resolve(v));
        }
        // Pulling what the store holds fetches nothing but the manifest and config.
        PullService.Result again = pull.pull(Reference.parse(repo + ":" + A), store, List.of());
        assertThat(again.changed()).isFalse();
        assertThat(again.fetchedBytes()).isLessThan(2 << 20);
    }

    /** Same file names, same bytes: SHA256SUMS (and a signature, when there is one) included. */
    private static void assertIdentical(Path expected, Path actual) throws Exception {
        assertThat(names(actual)).isEqualTo(names(expected));
        for (String n : names(expected)) {
            assertThat(Sha256Sums.sha256(actual.resolve(n))).as(n).isEqualTo(Sha256Sums.sha256(expected.resolve(n)));
            assertThat(Files.getLastModifiedTime(actual.resolve(n))).as(n).isEqualTo(Files.getLastModifiedTime(expected.resolve(n)));
        }
        assertThat(Files.readAllBytes(actual.resolve(Sha256Sums.FILE_NAME)))
                .isEqualTo(Files.readAllBytes(expected.resolve(Sha256Sums.FILE_NAME)));
    }

    private static List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @Order(2)
    void twoMastersFollowStableForwardAndBack() throws Exception {
        String stable = repo + ":stable";
        Path m1 = dir.resolve("master-1");
        Path m2 = dir.resolve("master-2");
        for (Path m : List.of(m1, m2)) {
            ok("master", "init", "--master", m.toString(), "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
        }
        // A channel is a second tag: nothing is uploaded, the storage gains only the tag.
        long before = registry.storageBytes();
        String tagged = ok("push", RealArtefacts.get(A).toString(), stable).out();
        System.out.print(tagged);
        assertThat(tagged).contains("0 of ").contains("the registry had them all");
        assertThat(registry.storageBytes() - before).isLessThan(4096);

        // Master 1 takes the first version with deploy REF (pull + the ordinary deploy), master 2 from the
        // artefact directory as before registries; both then follow the tag.
        String deployed = ok("deploy", "--master", m1.toString(), repo + ":" + A).out();
        System.out.print("master-1: " + deployed);
        assertThat(deployed).contains("pulled " + A).contains("deployed " + A);
        ok("deploy", "--master", m2.toString(), RealArtefacts.get(A).toString());
        for (Path m : List.of(m1, m2)) {
            String line = ok("sync", "--master", m.toString(), stable).out();
            System.out.print(m.getFileName() + ": " + line);
            assertThat(line).contains("promoted " + A);
        }

        // Forward: master 1 shares frames with the version it pulled last, master 2 (which never pulled)
        // with its active version packed again; each fetches only what it-a lacks.
        ok("push", RealArtefacts.get(B).toString(), stable);
        long initramfs = initramfsIfDifferent();
        for (Path m : List.of(m1, m2)) {
            CliProcess.Run run = ok("sync", "--master", m.toString(), stable);
            System.out.print(m.getFileName() + ": " + run.out());
            assertThat(run.out()).contains("promoted " + B + " (was " + A + ")");
            java.util.regex.Matcher fetched = java.util.regex.Pattern.compile("fetched ([0-9.]+) MiB").matcher(run.out());
            assertThat(fetched.find()).as(run.out()).isTrue();
            assertThat(Double.parseDouble(fetched.group(1)) * (1 << 20) - initramfs).as(m + ": bytes fetched")
                    .isLessThan(0.25 * Files.size(RealArtefacts.get(A).resolve("compute-debian12-" + A + ".rootfs.tar.zst")));
        }
        // A deployed version pushes as the very artefact it was: every blob is already there.
        String fromDeployed = ok("push", "--master", m2.toString(), B, repo + ":from-master").out();
        System.out.print("push --master: " + fromDeployed);
        assertThat(fromDeployed).containsPattern(" [01] of [0-9]+ blobs uploaded \\([0-9.]+ [Kk]?i?B of");
        Path fromMaster = dir.resolve("from-master-store");
        new PullService(Map.of(), System.err).pull(Reference.parse(repo + ":from-master"), fromMaster, List.of());
        assertThat(Files.readAllBytes(fromMaster.resolve("compute-debian12").resolve(B).resolve(Sha256Sums.FILE_NAME)))
                .isEqualTo(Files.readAllBytes(RealArtefacts.get(B).resolve(Sha256Sums.FILE_NAME)));
        assertThat(Sha256Sums.sha256(fromMaster.resolve("compute-debian12").resolve(B).resolve("compute-debian12-" + B + ".rootfs.tar.zst")))
                .isEqualTo(Sha256Sums.sha256(RealArtefacts.get(B).resolve("compute-debian12-" + B + ".rootfs.tar.zst")));
        for (String v : List.of(A, B)) {
            assertThat(TreeHash.of(m2.resolve("images").resolve(v).resolve("root")))
                    .as("images/%s/root on both masters", v).isEqualTo(TreeHash.of(m1.resolve("images").resolve(v).resolve("root")));
            // Boot files too (times, links, bytes); the boot directories themselves carry each deploy's own time.
            for (String f : List.of("boot/vmlinuz", "boot/initramfs.img", "manifest.json", "SHA256SUMS")) {
                assertThat(TreeHash.of(m2.resolve("images").resolve(v).resolve(f))).as("images/%s/%s on both masters", v, f)
                        .isEqualTo(TreeHash.of(m1.resolve("images").resolve(v).resolve(f)));
            }
        }
        assertThat(ok("verify", "--master", m1.toString(), B).out()).contains(B + ": intact");

        // The tag moved back: each master rolls back at its next sync, and says so in its history.
        ok("push", RealArtefacts.get(A).toString(), stable);
        for (Path m : List.of(m1, m2)) {
            String line = ok("sync", "--master", m.toString(), stable).out();
            System.out.print(m.getFileName() + ": " + line);
            assertThat(line).contains("rolled back to " + A + " (was " + B);
            assertThat(Files.readSymbolicLink(m.resolve("active")).toString()).isEqualTo("images/" + A);
            List<String> history = Files.readAllLines(m.resolve("history.jsonl"));
            assertThat(history.get(history.size() - 1)).contains("\"action\":\"rollback\"", "\"to\":\"" + A + "\"",
                    "\"reason\":\"sync " + stable + "\"");
            String again = ok("sync", "--master", m.toString(), stable).out();
            System.out.print(m.getFileName() + ": " + again);
            assertThat(again).contains(A + " is already active: nothing changed");
        }
        // The same boot menu, but for its first line, which says who switched when.
        List<String> menu1 = Files.readAllLines(m1.resolve("tftpboot/pxelinux.cfg/default"));
        List<String> menu2 = Files.readAllLines(m2.resolve("tftpboot/pxelinux.cfg/default"));
        assertThat(menu2.subList(1, menu2.size())).isEqualTo(menu1.subList(1, menu1.size())).contains("DEFAULT " + A);

        // A canary group follows its own channel: only its clients move, the default group stays on stable's.
        String canary = repo + ":canary";
        assertThat(ok("push", RealArtefacts.get(B).toString(), canary).out()).contains("the registry had them all");
        ok("clients", "add", "--master", m1.toString(), "node07.registry-it.test", "--mac", "52:54:00:00:00:07",
                "--group", "canary");
        String line = ok("sync", "--master", m1.toString(), "--group", "canary", canary).out();
        System.out.print("master-1 (group canary): " + line);
        assertThat(line).contains("promoted " + B + " in group canary (was " + A + ")");
        assertThat(Files.readSymbolicLink(m1.resolve("active")).toString()).isEqualTo("images/" + A);
        JsonNode groups = new ObjectMapper().readTree(ok("status", "--master", m1.toString(), "--json").out()).path("groups");
        java.util.Map<String, String> active = new java.util.TreeMap<>();
        groups.forEach(g -> active.put(g.path("name").asText(), g.path("active").asText()));
        assertThat(active).containsEntry("default", A).containsEntry("canary", B);
        assertThat(ok("sync", "--master", m1.toString(), "--group", "canary", canary).out())
                .contains(B + " is already active in group canary: nothing changed");
    }

    @Test
    @Order(3)
    void unknownTagsAndRepositoriesAreOneLine() throws Exception {
        CliProcess.Run tag = cli("pull", repo + ":nosuch", "--output", dir.resolve("nothing").toString());
        assertThat(tag.code()).isEqualTo(1);
        assertThat(tag.err().strip()).doesNotContain("\n").contains("no tag 'nosuch'").contains("push a version there first");
        CliProcess.Run repository = cli("pull", registry.host() + "/cluster/none:" + A, "--output", dir.resolve("nothing").toString());
        assertThat(repository.code()).isEqualTo(1);
        assertThat(repository.err().strip()).doesNotContain("\n").contains("no such repository");
        CliProcess.Run bad = cli("pull", "compute:stable");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("HOST[:PORT]/REPOSITORY:TAG");
        CliProcess.Run down = cli("pull", "127.0.0.1:" + RegistryServer.freePort() + "/cluster/compute:stable");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err().strip()).doesNotContain("\n").contains("cannot reach the registry");
        // Plain HTTP only for loopback names: the same registry under a name outside that list gets HTTPS.
        CliProcess.Run tls = cli("pull", "[::ffff:127.0.0.1]:" + registry.port() + "/cluster/compute:" + A,
                "--output", dir.resolve("nothing").toString());
        assertThat(tls.code()).isEqualTo(1);
        assertThat(tls.err().strip()).doesNotContain("\n").contains("no valid HTTPS").contains("only to loopback");
        assertThat(Files.exists(dir.resolve("nothing"))).isFalse();
    }

    @Test
    @Order(4)
    void aRegistryThatStopsMidTransferLeavesNothing() throws Exception {
        Path store = dir.resolve("cut-store");
        try (CuttingProxy proxy = new CuttingProxy(registry.port(), 40L << 20)) {
            CliProcess.Run r = cli("pull", "127.0.0.1:" + proxy.port() + "/cluster/compute:" + A, "--output", store.toString());
            System.out.println("pull through a registry that stops after 40 MiB: " + r.err().strip());
            assertThat(proxy.wasCut()).isTrue();
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip()).doesNotContain("\n").contains("run the command again").doesNotContain("Exception");
        }
        assertThat(store).doesNotExist();
    }

    @Test
    @Order(5)
    void aTamperedBlobIsRefusedAndNothingIsKept() throws Exception {
        // A frame it-b has and it-a lacks, so even a puller holding it-a must fetch it.
        PullService.Remote b = new PullService(Map.of(), System.err).resolve(Reference.parse(repo + ":" + B));
        java.util.Set<String> framesA = new java.util.HashSet<>();
        for (VersionManifest.Layer l : new PullService(Map.of(), System.err).resolve(Reference.parse(repo + ":" + A))
                .manifest().frames()) {
            framesA.add(l.digest());
        }
        VersionManifest.Layer victim = b.manifest().frames().stream().filter(l -> !framesA.contains(l.digest()))
                .filter(l -> l.size() > 1000).findFirst().orElseThrow();
        Path data = registry.blobData(victim.digest());
        flip(data);
        try {
            Path store = dir.resolve("tampered-store");
            CliProcess.Run r = cli("pull", repo + ":" + B, "--output", store.toString());
            System.out.println("pull of a tampered blob: " + r.err().strip());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip()).doesNotContain("\n").contains("does not match its digest")
                    .contains(victim.digest().substring(7, 19));
            assertThat(store).doesNotExist();

            Path m = dir.resolve("master-tampered");
            ok("master", "init", "--master", m.toString(), "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
            String before = TreeHash.of(m.resolve("images"));
            CliProcess.Run d = cli("deploy", "--master", m.toString(), repo + ":" + B);
            assertThat(d.code()).isEqualTo(1);
            assertThat(d.err().strip()).doesNotContain("\n").contains("does not match its digest");
            assertThat(TreeHash.of(m.resolve("images"))).isEqualTo(before);
            assertThat(leftovers(m.resolve(".pulls"))).isEmpty();
        } finally {
            flip(data);
        }
    }

    @Test
    @Order(6)
    void aTrustingMasterRefusesAnUnsignedVersionBeforeFetchingItAndDeploysASignedOne() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        ok("key", "generate", "--secret-key", keys.resolve("k.sec").toString(), "--public-key", keys.resolve("k.pub").toString());
        Path m = dir.resolve("master-trusting");
        ok("master", "init", "--master", m.toString(), "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
        ok("master", "trust", "add", "--master", m.toString(), keys.resolve("k.pub").toString());

        CliProcess.Run unsigned = cli("sync", "--master", m.toString(), repo + ":stable");
        System.out.println("sync of an unsigned version on a trusting master: " + unsigned.err().strip());
        assertThat(unsigned.code()).isEqualTo(1);
        assertThat(unsigned.err().strip()).doesNotContain("\n").contains("is not signed")
                .contains("rocluster sign").contains("--allow-unsigned");
        assertThat(leftovers(m.resolve("images"))).isEmpty();
        assertThat(leftovers(m.resolve(".pulls"))).isEmpty();

        // Signed: the signature travels as its own layer, comes back byte for byte, and the master takes it.
        Path signed = dir.resolve("signed-store").resolve("compute-debian12").resolve(A);
        Files.createDirectories(signed.getParent());
        // A copy (cp -a keeps the files' times): the shared artefacts stay unsigned for the other tests.
        Process copy = new ProcessBuilder("cp", "-a", RealArtefacts.get(A).toString(), signed.toString()).inheritIO().start();
        assertThat(copy.waitFor()).isZero();
        ok("sign", signed.toString(), "--key", keys.resolve("k.sec").toString());
        String pushed = ok("push", signed.toString(), repo + ":signed").out();
        System.out.print("push of the signed copy: " + pushed);
        Path back = dir.resolve("signed-back");
        new PullService(Map.of(), System.err).pull(Reference.parse(repo + ":signed"), back, List.of());
        assertIdentical(signed, back.resolve("compute-debian12").resolve(A));
        assertThat(back.resolve("compute-debian12").resolve(A).resolve(ArtefactDirectory.SIGNATURE)).exists();
        String deployed = ok("deploy", "--master", m.toString(), repo + ":signed").out();
        System.out.print("deploy of the signed version on the trusting master: " + deployed);
        assertThat(deployed).contains("deployed " + A);
        assertThat(Files.readString(m.resolve("images").resolve(A).resolve("deploy.json"))).doesNotContain("\"signer\":\"unsigned\"");
    }

    private static void flip(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    /** Regular files under a store or pull directory (directories left empty do not count). */
    private static List<Path> leftovers(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !Files.isDirectory(p)).toList();
        }
    }
}

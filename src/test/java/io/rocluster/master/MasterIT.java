package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.TestArtefacts;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The master verbs on real artefacts of {@code rocluster build} (Docker, the debian12 example): deploy,
 * dedup of a second version that differs in a few packages (figures printed), promote, rollback, list,
 * verify (a modified file is named), gc (keeps the active version and the rollback target), and a
 * one-flipped-byte copy of a real artefact refused with the master unchanged. Artefacts: {@link RealArtefacts}.
 */
class MasterIT {

    static final Path WORK = RealArtefacts.WORK;
    static final Path DIR = RealArtefacts.DIR;
    static final String A = RealArtefacts.A;
    static final String B = RealArtefacts.B;
    static final String C = RealArtefacts.C;

    static Path master;

    @BeforeAll
    static void setUp() throws Exception {
        for (String v : new String[] {A, B, C}) {
            RealArtefacts.get(v);
        }
        master = Files.createTempDirectory("rocluster-master-it");
        cli("master", "init", "--master", master.toString(), "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
    }

    @AfterAll
    static void removeMaster() throws Exception {
        if (master != null) {
            FileTrees.delete(master);
        }
    }

    private static Path artefact(String version) throws Exception {
        return RealArtefacts.get(version);
    }

    private static CliProcess.Run cli(String... args) throws Exception {
        return CliProcess.run(WORK, args).requireOk();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void deployPromoteRollbackListVerifyGcOnRealArtefacts() throws Exception {
        String m = master.toString();
        MasterLayout layout = new MasterLayout(master);

        long t0 = System.nanoTime();
        assertThat(cli("deploy", "--master", m, artefact(A).toString()).out()).contains("deployed " + A);
        double fullDeploy = seconds(t0);
        assertThat(cli("verify", "--master", m, A).out()).contains(A + ": intact");

        // The same artefact again: nothing at all changes.
        String before = TreeHash.of(master);
        assertThat(cli("deploy", "--master", m, artefact(A).toString()).out()).contains("already deployed");
        assertThat(TreeHash.of(master)).isEqualTo(before);

        // A copy of a real artefact with one flipped byte in its rootfs: refused, master unchanged.
        Path corrupt = DIR.resolve("corrupt").resolve(B);
        FileTrees.delete(corrupt.getParent());
        Files.createDirectories(corrupt.getParent());
        TestArtefacts.run("cp", "-a", artefact(B).toString(), corrupt.toString());
        Path rootfs = corrupt.resolve("compute-debian12-" + B + ".rootfs.tar.zst");
        try (RandomAccessFile f = new RandomAccessFile(rootfs.toFile(), "rw")) {
            long at = f.length() / 3;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        CliProcess.Run refused = CliProcess.run(WORK, "deploy", "--master", m, corrupt.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("checksum mismatch").contains(rootfs.getFileName().toString());
        assertThat(TreeHash.of(master)).isEqualTo(before);
        FileTrees.delete(corrupt.getParent());

        // A second version that differs in a few packages: unchanged files are shared.
        t0 = System.nanoTime();
        String deployB = cli("deploy", "--master", m, artefact(B).toString()).out();
        double incrementalDeploy = seconds(t0);
        assertThat(deployB).contains("unchanged files hardlinked to " + A);
        assertThat(cli("verify", "--master", m, B).out()).contains(B + ": intact");
        DeployRecord rb = DeployRecord.read(layout, B);
        assertThat(rb.dedupBase()).isEqualTo(A);
        assertThat(rb.filesLinked()).isGreaterThan(rb.filesWritten() * 5);

        cli("promote", "--master", m, A, "--reason", "first");
        cli("promote", "--master", m, B, "--reason", "adds less, vim-tiny, file");
        assertThat(cli("status", "--master", m).out()).contains("active:    " + B)
                .contains("rollback:  would switch clients back to " + A);
        assertThat(Files.readString(layout.tftpboot().resolve("pxelinux.cfg/default")))
                .contains("DEFAULT " + B, "LABEL " + A, "images/" + B + "/vmlinuz",
                        "root=nfs4:10.0.2.2:/data/cluster/images/" + B + "/root");
        assertThat(cli("rollback", "--master", m, "--reason", "test").out()).contains("rolled back to " + A);

        cli("deploy", "--master", m, artefact(C).toString());
        JsonNode list = new ObjectMapper().readTree(cli("list", "--master", m, "--json").out());
        Map<String, JsonNode> byVersion = new java.util.HashMap<>();
        list.forEach(n -> byVersion.put(n.get("version").asText(), n));
        assertThat(byVersion.get(A).get("state").asText()).isEqualTo("active");
        assertThat(byVersion.get(B).get("state").asText()).isEqualTo("rollback");
        assertThat(byVersion.get(C).get("state").asText()).isEqualTo("deployed");
        long aloneB = byVersion.get(B).get("aloneBytes").asLong();
        long sharedB = byVersion.get(B).get("sharedBytes").asLong();
        assertThat(sharedB).isGreaterThan(3 * aloneB);

        assertThat(cli("gc", "--master", m, "--keep", "0", "--dry-run").out()).contains("would remove " + C)
                .doesNotContain("would remove " + A).doesNotContain("would remove " + B);
        assertThat(new Versions(layout).isDeployed(C)).isTrue();
        assertThat(cli("gc", "--master", m, "--keep", "0").out()).contains("removed " + C, "kept " + A + " (active)",
                "kept " + B + " (rollback target)");
        assertThat(new Versions(layout).deployed()).containsExactly(A, B);
        assertThat(cli("verify", "--master", m, A).out()).contains("intact");

        // verify names a modified file.
        Path osRelease = layout.imageRoot(B).resolve("usr/lib/os-release");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(osRelease);
        Files.writeString(osRelease, Files.readString(osRelease) + "TAMPERED=1\n");
        Files.setLastModifiedTime(osRelease, mtime);
        CliProcess.Run tampered = CliProcess.run(WORK, "verify", "--master", m, B);
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.out()).contains("modified\troot/usr/lib/os-release").contains("1 difference(s)");
        MasterInvariants.recovered(layout);

        // Figures for the record: a full unpack of B by GNU tar beside this master, for comparison.
        Path tarDir = Files.createTempDirectory(master.getParent(), "tar-reference");
        t0 = System.nanoTime();
        TestArtefacts.run("sh", "-c", "zstd -dc " + artefact(B).resolve("compute-debian12-" + B + ".rootfs.tar.zst")
                + " | tar --xattrs --xattrs-include='*' --numeric-owner -xpf - -C " + tarDir + " && sync -f " + tarDir);
        double tarFull = seconds(t0);
        FileTrees.delete(tarDir);
        String figures = String.format("master IT figures: full deploy of %s %.1f s; incremental deploy of %s %.1f s "
                        + "(%d files hardlinked, %d MiB; %d files written, %d MiB); %s uses %d MiB alone and %d MiB shared "
                        + "with %s; zstd -d | tar -xp of %s + sync %.1f s%n", A, fullDeploy, B, incrementalDeploy,
                rb.filesLinked(), rb.bytesLinked() >> 20, rb.filesWritten(), rb.bytesWritten() >> 20, B, aloneB >> 20,
                sharedB >> 20, A, B, tarFull);
        System.out.print(figures);
        Files.writeString(DIR.resolve("figures.txt"), figures);
    }
}

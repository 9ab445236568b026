package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.RoclusterException;
import io.rocluster.archive.SourceDateEpoch;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactInspection;
import io.rocluster.artefact.InitramfsCheck;
import io.rocluster.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the debian12 example with a real Docker engine, end to end, and checks the artefact and the stage
 * cache. Needs the debian:12 base image (containers/debian12/import-base.sh; CI's setup creates it). The
 * builds share one output directory and run in order: cold (--no-cache); a second cold build, which must give
 * the same bytes (the only extra cold build in CI: every other IT reuses the stage cache these two fill);
 * unchanged (all cached); --if-changed, which finds nothing to build; an rwtab-only change with an old
 * SOURCE_DATE_EPOCH given (readonly alone runs again); then a spec asking for a package that does not exist.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildIT {

    @TempDir
    static Path out;

    private static final Path EXAMPLE = SourceTree.locate().root().resolve("examples/debian12.yaml");
    private static BuildResult cold;
    private static final List<String> timings = new ArrayList<>();
    // As rocluster build passes it: the environment's SOURCE_DATE_EPOCH, if any (CI sets none).
    private static final OptionalLong ENV_EPOCH = SourceDateEpoch.resolve(null, System.getenv());

    private static BuildResult build(Path spec, String version, boolean noCache) throws IOException {
        return build(spec, version, noCache, ENV_EPOCH, false);
    }

    private static BuildResult build(Path spec, String version, boolean noCache, OptionalLong epoch, boolean ifChanged)
            throws IOException {
        List<String> lines = new ArrayList<>();
        Instant t0 = Instant.now();
        BuildResult r = new ImageBuilder(new BuildListener() {
            @Override
            public void stageFinished(String stage, boolean cached, Duration elapsed) {
                lines.add(stage + (cached ? " cached" : " " + elapsed.toSeconds() + " s"));
            }
        }).build(new BuildRequest(spec, out, Optional.of(version), false, noCache, false, epoch, null, null, ifChanged));
        String t = version + ": " + Duration.between(t0, Instant.now()).toSeconds() + " s (" + String.join(", ", lines) + ")";
        timings.add(t);
        System.out.println("BuildIT timing " + t);
        return r;
    }

    @Test
    @Order(1)
    void coldBuildMakesAVerifiableArtefactThatCanBootFromNfs() throws IOException, InterruptedException {
        cold = build(EXAMPLE, "cold", true);
        ArtefactDirectory a = ArtefactDirectory.open(cold.artefact());

        // Every file listed, every checksum right, the tar's digest equal to the manifest's.
        assertThat(a.verify(true)).isEmpty();
        assertThat(a.manifest().rootfs().tarSha256()).isEqualTo(cold.rootfsSha256());
        // The clamp used is recorded, so diff and a rebuild can tell mtime-only changes from real ones: the one
        // given, else the date of base-files' top changelog entry (the point release), which lies before the build.
        if (ENV_EPOCH.isPresent()) {
            assertThat(a.manifest().sourceDateEpoch()).isEqualTo(ENV_EPOCH.getAsLong());
        } else {
            assertThat(a.manifest().sourceDateEpoch()).isPositive().isLessThan(Instant.now().getEpochSecond());
            assertThat(Files.readString(a.dir().resolve(ArtefactDirectory.BUILD_LOG)))
                    .containsPattern("reproducible: SOURCE_DATE_EPOCH=" + a.manifest().sourceDateEpoch()
                            + " \\(.*, package base-files \\S+\\)");
        }
        assertThat(a.manifest().files()).allSatisfy(f -> assertThat(f.mtime()).as(f.path())
                .isLessThanOrEqualTo(a.manifest().sourceDateEpoch()));
        assertThat(a.manifest().inputDigest()).matches("[0-9a-f]{64}");
        // The packages' own times are below the clamp: no .pyc records a source mtime that clamping changed.
        assertThat(PycCheck.assertNoneStale(a).total()).isGreaterThan(100);
        Process sums = new ProcessBuilder("sha256sum", "--strict", "-c", "SHA256SUMS").directory(a.dir().toFile())
                .redirectErrorStream(true).start();
        String sumsOut = new String(sums.getInputStream().readAllBytes());
        assertThat(sums.waitFor()).as(sumsOut).isZero();
        // An independent digest of the decompressed tarball: the real zstd, not rocluster's reader.
        Process z = new ProcessBuilder("sh", "-c", "zstd -dc '" + a.rootfs() + "' | sha256sum").start();
        String zOut = new String(z.getInputStream().readAllBytes());
        assertThat(z.waitFor()).isZero();
        assertThat(zOut).startsWith(a.manifest().rootfs().tarSha256() + " ");

        ArtefactInspection inspection = ArtefactInspection.of(a, false);
        assertThat(inspection.initramfs()).allSatisfy(c -> assertThat(c.ok()).as(c.what() + ": " + c.detail()).isTrue());
        assertThat(inspection.initramfs()).extracting(InitramfsCheck.Result::what)
                .contains("dracut module nfs", "nfsroot cmdline hook", "driver e1000", "driver virtio_net");
        assertThat(a.manifest().kernelVersion()).matches("\\d+\\.\\d+\\.\\d+-\\d+-amd64");
        assertThat(a.manifest().packages()).extracting(p -> p.name())
                .contains("dracut-network", "nfs-common", "linux-image-" + a.manifest().kernelVersion());
        assertThat(a.manifest().stages()).containsOnlyKeys("bootstrap", "packages", "initramfs", "readonly");
        assertThat(a.manifest().packages()).extracting(p -> p.name()).contains("zstd");
        // Debian 12's kernel unpacks zstd, which dracut used: the initramfs starts with zstd's magic.
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(a.dir().resolve(ArtefactDirectory.INITRAMFS))) {
            assertThat(in.readNBytes(magic, 0, 4)).isEqualTo(4);
        }
        assertThat(magic).containsExactly(0x28, 0xb5, 0x2f, 0xfd);

        List<String> names = tarNames(a);
        assertThat(names).contains("./etc/rwtab.d/rocluster", "./etc/statetab.d/rocluster",
                "./etc/sysconfig/readonly-root", "./etc/dracut.conf.d/rocluster.conf",
                "./usr/libexec/rocluster/readonly-root", "./proc/", "./sys/", "./dev/", "./run/", "./tmp/");
        assertThat(names).filteredOn(n -> n.matches("\\./(proc|sys|dev|run|tmp)/.+")).isEmpty();
        assertThat(names).doesNotContain("./etc/hostname", "./.dockerenv");
        assertThat(names).noneMatch(n -> n.startsWith("./build/"));
    }

    @Test
    @Order(2)
    void secondColdBuildGivesTheSameRootAndInitramfsBytes() throws IOException {
        BuildResult second = build(EXAMPLE, "cold-2", true);
        ArtefactDirectory a = ArtefactDirectory.open(cold.artefact());
        ArtefactDirectory b = ArtefactDirectory.open(second.artefact());
        // Two cold builds can only agree if the mirror did not move between them (a point release, say).
        Assumptions.assumeTrue(a.manifest().packages().equals(b.manifest().packages()),
                "the mirror changed between the two cold builds: " + PackageLists.differences(a.manifest().packages(),
                        b.manifest().packages()));

        System.out.println("BuildIT reproducible: rootfs tar sha256 " + cold.rootfsSha256() + " and "
                + second.rootfsSha256());
        assertThat(b.manifest().files()).isEqualTo(a.manifest().files());
        assertThat(second.rootfsSha256()).isEqualTo(cold.rootfsSha256());
        assertThat(b.manifest().rootfs().compressedSha256()).isEqualTo(a.manifest().rootfs().compressedSha256());
        assertThat(Files.mismatch(a.dir().resolve(ArtefactDirectory.INITRAMFS), b.dir().resolve(ArtefactDirectory.INITRAMFS)))
                .as("first differing byte of the two initramfs images").isEqualTo(-1L);
        assertThat(b.manifest().sourceDateEpoch()).isEqualTo(a.manifest().sourceDateEpoch());
        assertThat(b.manifest().inputDigest()).isEqualTo(a.manifest().inputDigest());

        // What that buys a master: the second build deploys beside the first with no file written, all linked.
        Path master = out.resolve("master");
        assertThat(Main.run("master", "init", "--master", master.toString(), "--server", "10.0.2.2", "--clients",
                "10.0.2.0/24")).isZero();
        for (BuildResult r : List.of(cold, second)) {
            assertThat(Main.run("deploy", "--master", master.toString(), r.artefact().toString())).isZero();
        }
        JsonNode d = new ObjectMapper().readTree(master.resolve("images/cold-2/deploy.json").toFile());
        System.out.println("BuildIT deploy of the second cold build beside the first: " + d.path("filesWritten")
                + " files written (" + d.path("bytesWritten") + " B), " + d.path("filesLinked") + " linked ("
                + d.path("bytesLinked") + " B) from " + d.path("dedupBase").asText());
        assertThat(d.path("dedupBase").asText()).isEqualTo("cold");
        assertThat(d.path("filesWritten").asLong()).isZero();
        assertThat(d.path("filesLinked").asLong()).isPositive();
    }

    @Test
    @Order(3)
    void unchangedRebuildReusesEveryStageAndGivesTheSameBytes() throws IOException {
        BuildResult again = build(EXAMPLE, "cached", false);

        assertThat(again.cachedStages()).containsExactly("bootstrap", "packages", "initramfs", "readonly");
        assertThat(again.stages()).isEqualTo(cold.stages());
        assertThat(again.rootfsSha256()).isEqualTo(cold.rootfsSha256());
    }

    @Test
    @Order(4)
    void ifChangedAfterAnUnchangedBuildMakesNothing() throws IOException {
        List<String> before = versions();
        Instant t0 = Instant.now();

        BuildResult r = build(EXAMPLE, "if-changed", false, ENV_EPOCH, true);

        System.out.println("BuildIT --if-changed: " + Duration.between(t0, Instant.now()).toMillis() + " ms");
        assertThat(r.unchanged()).isTrue();
        // The newest artefact in version order ("cold-2" sorts after "cold" and "cached").
        assertThat(r.version()).isEqualTo("cold-2");
        assertThat(r.summary()).containsExactly("unchanged since cold-2");
        assertThat(r.forJson()).isEqualTo(new BuildResult.SameAs(true, "cold-2", r.artefact()));
        assertThat(versions()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void readonlyOnlyChangeRerunsReadonlyAloneAndAnOldEpochLeavesNoStalePyc() throws IOException {
        Path spec = out.resolve("rwtab.yaml");
        String text = Files.readString(EXAMPLE);
        assertThat(text).contains("rwtab:\n  dirs: []");
        // A path of its own per run: the stage cache outlives test runs, and an earlier run's entries must not hit.
        String dir = "/var/cache/rocluster-it-" + Long.toHexString(System.nanoTime());
        Files.writeString(spec, text.replace("rwtab:\n  dirs: []", "rwtab:\n  dirs: [" + dir + "]"));
        // Older than every package: clamping moves the mtime of every Python source, so every .pyc would be stale.
        long epoch = 1_600_000_000L;

        BuildResult changed = build(spec, "rwtab", false, OptionalLong.of(epoch), true);

        assertThat(changed.unchanged()).isFalse();
        assertThat(changed.cachedStages()).containsExactly("bootstrap", "packages", "initramfs");
        assertThat(changed.stageSeconds()).containsKeys("readonly", "reproducible");
        assertThat(changed.rootfsSha256()).isNotEqualTo(cold.rootfsSha256());
        ArtefactDirectory a = ArtefactDirectory.open(changed.artefact());
        String rwtab = readFromTar(a, "./etc/rwtab.d/rocluster");
        assertThat(rwtab).containsPattern("(?m)^dirs\\s+" + dir + "$");
        assertThat(a.manifest().sourceDateEpoch()).isEqualTo(epoch);
        assertThat(Files.mismatch(a.dir().resolve(ArtefactDirectory.INITRAMFS),
                cold.artefact().resolve(ArtefactDirectory.INITRAMFS))).isEqualTo(-1L);
        PycCheck.Counts pycs = PycCheck.assertNoneStale(a);
        assertThat(pycs.total()).as(".pyc files in the image").isGreaterThan(100);
        // Every source was clamped, so every .pyc was compiled again, hash-checked.
        assertThat(pycs.hashed()).isEqualTo(pycs.total());
        assertThat(Files.readString(a.dir().resolve(ArtefactDirectory.BUILD_LOG)))
                .contains("Python modules newer than SOURCE_DATE_EPOCH: their .pyc compiled again, hash-checked");
        System.out.println("BuildIT timings: " + String.join(" | ", timings));
    }

    @Test
    @Order(6)
    void missingPackageFailsWithAptsLineAndLeavesNothing() throws IOException {
        Path spec = out.resolve("bad.yaml");
        Files.writeString(spec, Files.readString(EXAMPLE).replace("packages: []", "packages: [rocluster-no-such-package]"));

        assertThatThrownBy(() -> build(spec, "bad", false))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining("stage packages failed")
                .hasMessageContaining("Unable to locate package rocluster-no-such-package");

        try (Stream<Path> s = Files.list(out.resolve("compute-debian12"))) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("cold", "cold-2", "cached", "rwtab");
        }
    }

    private static List<String> versions() throws IOException {
        return new io.rocluster.artefact.ArtefactStore(out).versions("compute-debian12");
    }

    private static List<String> tarNames(ArtefactDirectory a) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = a.openRootfsTar(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static String readFromTar(ArtefactDirectory a, String name) throws IOException {
        try (InputStream in = a.openRootfsTar(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(name + " not in the rootfs");
    }
}

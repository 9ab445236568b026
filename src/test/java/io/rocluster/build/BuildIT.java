package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.archive.SourceDateEpoch;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactInspection;
import io.rocluster.artefact.InitramfsCheck;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the debian12 example with a real Docker engine, end to end, and checks the artefact and the stage
 * cache. Needs the debian:12 base image (containers/debian12/import-base.sh; CI's setup creates it). The
 * builds share one output directory and run in order: cold (--no-cache), unchanged (all cached), rwtab-only
 * change (bootstrap and packages cached), then a spec asking for a package that does not exist.
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
        List<String> lines = new ArrayList<>();
        Instant t0 = Instant.now();
        BuildResult r = new ImageBuilder(new BuildListener() {
            @Override
            public void stageFinished(String stage, boolean cached, Duration elapsed) {
                lines.add(stage + (cached ? " cached" : " " + elapsed.toSeconds() + " s"));
            }
        }).build(new BuildRequest(spec, out, Optional.of(version), false, noCache, false, ENV_EPOCH));
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
        // The clamp used is recorded, so diff and a rebuild can tell mtime-only changes from real ones.
        assertThat(a.manifest().sourceDateEpoch()).isEqualTo(ENV_EPOCH.isPresent() ? ENV_EPOCH.getAsLong() : null);
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
        assertThat(a.manifest().stages()).containsOnlyKeys("bootstrap", "packages", "readonly", "initramfs");

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
    void unchangedRebuildReusesEveryStageAndGivesTheSameBytes() throws IOException {
        BuildResult again = build(EXAMPLE, "cached", false);

        assertThat(again.cachedStages()).containsExactly("bootstrap", "packages", "readonly", "initramfs");
        assertThat(again.stages()).isEqualTo(cold.stages());
        assertThat(again.rootfsSha256()).isEqualTo(cold.rootfsSha256());
    }

    @Test
    @Order(3)
    void rwtabOnlyChangeRerunsFromReadonlyOn() throws IOException {
        Path spec = out.resolve("rwtab.yaml");
        String text = Files.readString(EXAMPLE);
        assertThat(text).contains("rwtab:\n  dirs: []");
        // A path of its own per run: the stage cache outlives test runs, and an earlier run's entries must not hit.
        String dir = "/var/cache/rocluster-it-" + Long.toHexString(System.nanoTime());
        Files.writeString(spec, text.replace("rwtab:\n  dirs: []", "rwtab:\n  dirs: [" + dir + "]"));

        BuildResult changed = build(spec, "rwtab", false);

        assertThat(changed.cachedStages()).containsExactly("bootstrap", "packages");
        assertThat(changed.stageSeconds()).containsKeys("readonly", "initramfs");
        assertThat(changed.rootfsSha256()).isNotEqualTo(cold.rootfsSha256());
        String rwtab = readFromTar(ArtefactDirectory.open(changed.artefact()), "./etc/rwtab.d/rocluster");
        assertThat(rwtab).containsPattern("(?m)^dirs\\s+" + dir + "$");
        System.out.println("BuildIT timings: " + String.join(" | ", timings));
    }

    @Test
    @Order(4)
    void missingPackageFailsWithAptsLineAndLeavesNothing() throws IOException {
        Path spec = out.resolve("bad.yaml");
        Files.writeString(spec, Files.readString(EXAMPLE).replace("packages: []", "packages: [rocluster-no-such-package]"));

        assertThatThrownBy(() -> build(spec, "bad", false))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining("stage packages failed")
                .hasMessageContaining("Unable to locate package rocluster-no-such-package");

        try (Stream<Path> s = Files.list(out.resolve("compute-debian12"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cold", "cached", "rwtab");
        }
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

package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterVersion;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.Manifest.PackageVersion;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build --if-changed}'s decision: the input digest (the build's fingerprint but the mirror) and the
 * packages the mirror would install now, against the newest artefact of the image. The resolver is a plain
 * function here; the real one (apt against the mirror) runs in BuildIT.
 */
class ChangeCheckTest {

    private static final SourceTree SOURCES = SourceTree.locate();
    private static final List<PackageVersion> PACKAGES = List.of(new PackageVersion("base-files", "12.4+deb12u15", "amd64"),
            new PackageVersion("libc6", "2.36-9+deb12u14", "amd64"), new PackageVersion("usr-is-merged", "37~deb12u1", "all"));

    @TempDir
    Path out;

    private final List<List<String>> asked = new ArrayList<>();

    private ChangeCheck.Resolver mirror(List<PackageVersion> now) {
        return names -> {
            asked.add(names);
            return now;
        };
    }

    @Test
    void sameInputsAndSamePackagesAreTheNewestArtefact() throws IOException {
        artefact("2026.12.01.9", "digest-old", PACKAGES);
        artefact("2026.12.01.10", "digest", PACKAGES);

        ChangeCheck.Verdict v = ChangeCheck.check(new ArtefactStore(out), "compute", "digest", mirror(PACKAGES));

        assertThat(v.unchanged()).isTrue();
        // The newest in version order: 10 after 9, as numbers.
        assertThat(v.sameAs().manifest().version()).isEqualTo("2026.12.01.10");
        assertThat(v.why()).isEmpty();
        // The artefact's own package names go to the resolver, so apt picks the alternatives it has.
        assertThat(asked).containsExactly(List.of("base-files", "libc6", "usr-is-merged"));
    }

    @Test
    void aPackageTheMirrorUpdatedIsAChange() throws IOException {
        artefact("2026.12.01.1", "digest", PACKAGES);
        List<PackageVersion> now = List.of(PACKAGES.get(0), new PackageVersion("libc6", "2.36-9+deb12u15", "amd64"),
                PACKAGES.get(2), new PackageVersion("libnew1", "1.0", "amd64"));

        ChangeCheck.Verdict v = ChangeCheck.check(new ArtefactStore(out), "compute", "digest", mirror(now));

        assertThat(v.unchanged()).isFalse();
        assertThat(v.why()).containsExactly("2 package(s) changed on the mirror since 2026.12.01.1: "
                + "libc6:amd64 2.36-9+deb12u14 → 2.36-9+deb12u15, + libnew1:amd64 1.0");
    }

    @Test
    void anotherInputDigestIsAChangeAndTheMirrorIsNotAsked() throws IOException {
        artefact("2026.12.01.1", "digest", PACKAGES);

        ChangeCheck.Verdict v = ChangeCheck.check(new ArtefactStore(out), "compute", "other", mirror(PACKAGES));

        assertThat(v.unchanged()).isFalse();
        assertThat(v.why()).containsExactly("rocluster changed since 2026.12.01.1 (test then, " + RoclusterVersion.get()
                + " now)");
        assertThat(asked).isEmpty();
    }

    @Test
    void aChangedDigestSaysWhatTheManifestCanTell() throws IOException {
        artefact("2026.12.01.1", "digest", PACKAGES);
        ArtefactStore store = new ArtefactStore(out);

        // The artefact was built by "sha256:builder".
        assertThat(ChangeCheck.check(store, "compute", "other", "sha256:0123456789abcdef", mirror(PACKAGES)).why())
                .containsExactly("the builder image changed since 2026.12.01.1 (builder then, 0123456789ab now: made"
                        + " again, or from another recipe)");
        assertThat(asked).isEmpty();
    }

    @Test
    void noArtefactOrOneWithoutADigestIsAChange() throws IOException {
        assertThat(ChangeCheck.check(new ArtefactStore(out), "compute", "d", mirror(PACKAGES)).why())
                .containsExactly("no earlier artefact of compute in " + out);

        artefact("old", null, PACKAGES);
        assertThat(ChangeCheck.check(new ArtefactStore(out), "compute", "d", mirror(PACKAGES)).why())
                .containsExactly("old records no input digest (built by an earlier rocluster)");
    }

    @Test
    void packageDifferencesNameEachChangeOnce() {
        List<PackageVersion> after = List.of(new PackageVersion("base-files", "12.4+deb12u16", "amd64"),
                PACKAGES.get(1));

        assertThat(PackageLists.differences(PACKAGES, after))
                .containsExactly("base-files:amd64 12.4+deb12u15 → 12.4+deb12u16", "- usr-is-merged 37~deb12u1");
        assertThat(PackageLists.differences(PACKAGES, PACKAGES)).isEmpty();
        assertThat(PackageLists.parse("zlib1g\t1:1.2.13\tamd64\nadduser\t3.134\tall\n\n", "t"))
                .containsExactly(new PackageVersion("adduser", "3.134", "all"), new PackageVersion("zlib1g", "1:1.2.13", "amd64"));
        assertThatThrownBy(() -> PackageLists.parse("adduser\t3.134\tall\nnot a package line\n", "the resolver"))
                .isInstanceOf(io.rocluster.RoclusterException.class)
                .hasMessage("the resolver listed a package as 'not a package line' (line 2), not name, version and arch:"
                        + " its package query is broken");
    }

    @Test
    void inputDigestCoversEveryStageTheCollectScriptAndRoclusterItself() throws IOException {
        String example = Files.readString(SOURCES.root().resolve("examples/debian12.yaml"));
        String base = inputs(example, "sha256:b", "0.1.0", java.util.OptionalLong.empty());

        assertThat(inputs(example, "sha256:b", "0.1.0", java.util.OptionalLong.empty())).isEqualTo(base);
        assertThat(inputs(example, "sha256:c", "0.1.0", java.util.OptionalLong.empty())).isNotEqualTo(base);
        assertThat(inputs(example, "sha256:b", "0.2.0", java.util.OptionalLong.empty())).isNotEqualTo(base);
        assertThat(inputs(example, "sha256:b", "0.1.0", java.util.OptionalLong.of(1700000000))).isNotEqualTo(base);
        assertThat(inputs(example.replace("rwtab:\n  dirs: []", "rwtab:\n  dirs: [/srv/x]"), "sha256:b", "0.1.0",
                java.util.OptionalLong.empty())).isNotEqualTo(base);
        // The collect script counts although no cached stage reads it; so does the clamp's origin in the spec.
        assertThat(inputs(example.replace("sourceDateEpoch: distribution-release", "sourceDateEpoch: newest-package"),
                "sha256:b", "0.1.0", java.util.OptionalLong.empty())).isNotEqualTo(base);
        BuildContext ctx = new BuildContext(SpecLoader.parse(example, "t.yaml"), SOURCES);
        Map<String, String> chain = StageDigests.chain("sha256:b", Stages.inputs(ctx));
        StageInput collect = Stages.COLLECT.input(ctx);
        StageInput reproducible = Stages.REPRODUCIBLE.input(ctx);
        StageInput otherCollect = new StageInput(collect.stage(), collect.script(), new byte[] {1}, collect.env());
        assertThat(StageDigests.inputs("0.1.0", chain, List.of(reproducible, otherCollect)))
                .isNotEqualTo(StageDigests.inputs("0.1.0", chain, List.of(reproducible, collect)));
    }

    private static String inputs(String specText, String builder, String rocluster, java.util.OptionalLong epoch)
            throws IOException {
        ImageSpec spec = SpecLoader.parse(specText, "t.yaml");
        BuildContext ctx = new BuildContext(spec, SOURCES, epoch);
        return StageDigests.inputs(rocluster, StageDigests.chain(builder, Stages.inputs(ctx)),
                List.of(Stages.REPRODUCIBLE.input(ctx), Stages.COLLECT.input(ctx)));
    }

    private void artefact(String version, String inputDigest, List<PackageVersion> packages) throws IOException {
        ImageSpec spec = SpecLoader.load(SOURCES.root().resolve("examples/debian12.yaml"));
        Manifest m = new Manifest(ManifestJson.FORMAT_VERSION, "compute", version, "debian12", "6.1.0-50-amd64", "",
                packages, new Manifest.Rootfs("compute-" + version + ".rootfs.tar.zst", "a".repeat(64), 10240,
                        "c".repeat(64), 100),
                List.of(), Map.of("bootstrap", "d1"), "sha256:builder", spec, List.of(), "test", "2026-12-01T02:00:00Z",
                1783019100L, inputDigest);
        Path dir = Files.createDirectories(out.resolve("compute").resolve(version));
        Files.write(dir.resolve("manifest.json"), ManifestJson.toBytes(m));
    }
}

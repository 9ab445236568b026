package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache key logic on the real stage scripts and the real debian12 example spec. */
class StageDigestsTest {

    private static final SourceTree SOURCES = SourceTree.locate();
    private static final String EXAMPLE = read(SOURCES.root().resolve("examples/debian12.yaml"));

    private static Map<String, String> digests(String specText, String builderId) throws IOException {
        ImageSpec spec = SpecLoader.parse(specText, "test.yaml");
        BuildContext ctx = new BuildContext(spec, SOURCES);
        return StageDigests.chain(builderId, Stages.inputs(ctx));
    }

    @Test
    void sameInputsSameDigests() throws IOException {
        assertThat(digests(EXAMPLE, "sha256:b")).isEqualTo(digests(EXAMPLE, "sha256:b"))
                .containsOnlyKeys("bootstrap", "packages", "readonly", "initramfs");
    }

    @Test
    void rwtabOnlyChangeKeepsEverythingButReadonly() throws IOException {
        Map<String, String> before = digests(EXAMPLE, "sha256:b");
        Map<String, String> after = digests(EXAMPLE.replace("rwtab:\n  dirs: []", "rwtab:\n  dirs: [/var/cache/foo]"),
                "sha256:b");

        assertThat(after.get("bootstrap")).isEqualTo(before.get("bootstrap"));
        assertThat(after.get("packages")).isEqualTo(before.get("packages"));
        assertThat(after.get("initramfs")).isEqualTo(before.get("initramfs"));
        assertThat(after.get("readonly")).isNotEqualTo(before.get("readonly"));
    }

    @Test
    void initramfsChangeRerunsInitramfsAndReadonly() throws IOException {
        Map<String, String> before = digests(EXAMPLE, "sha256:b");
        Map<String, String> after = digests(EXAMPLE.replace("  drivers:\n", "  drivers:\n    - igb\n"),
                "sha256:b");

        assertThat(after.get("packages")).isEqualTo(before.get("packages"));
        assertThat(after.get("initramfs")).isNotEqualTo(before.get("initramfs"));
        assertThat(after.get("readonly")).isNotEqualTo(before.get("readonly"));
    }

    @Test
    void packageChangeRerunsFromPackagesOn() throws IOException {
        Map<String, String> before = digests(EXAMPLE, "sha256:b");
        Map<String, String> after = digests(EXAMPLE.replace("packages: []", "packages: [less]"), "sha256:b");

        assertThat(after.get("bootstrap")).isEqualTo(before.get("bootstrap"));
        assertThat(after.get("packages")).isNotEqualTo(before.get("packages"));
        assertThat(after.get("readonly")).isNotEqualTo(before.get("readonly"));
    }

    @Test
    void anotherBuilderImageInvalidatesEverything() throws IOException {
        Map<String, String> a = digests(EXAMPLE, "sha256:a");
        Map<String, String> b = digests(EXAMPLE, "sha256:b");

        a.forEach((stage, d) -> assertThat(b.get(stage)).as(stage).isNotEqualTo(d));
    }

    @Test
    void digestCoversScriptFilesAndEnvironment() {
        StageInput base = new StageInput("packages", "20-packages.sh", new byte[] {1, 2}, Map.of("A", "1"));
        String d = StageDigests.digest("prev", base);

        assertThat(StageDigests.digest("prev2", base)).isNotEqualTo(d);
        assertThat(StageDigests.digest("prev", new StageInput("packages", "20-packages.sh", new byte[] {1, 3},
                Map.of("A", "1")))).isNotEqualTo(d);
        assertThat(StageDigests.digest("prev", new StageInput("packages", "20-packages.sh", new byte[] {1, 2},
                Map.of("A", "2")))).isNotEqualTo(d);
        // Length prefixes: moving a byte from one field to the next is a different input.
        assertThat(StageDigests.digest("prev", new StageInput("packages", "20-packages.sh", new byte[] {1, 2},
                Map.of("A1", "")))).isNotEqualTo(StageDigests.digest("prev", new StageInput("packages",
                "20-packages.sh", new byte[] {1, 2}, Map.of("A", "1"))));
    }

    @Test
    void theStagesAreDataInPipelineOrderAndADeclaredInputIsCovered() throws IOException {
        assertThat(Stages.CACHED).extracting(StageDefinition::name)
                .containsExactly("bootstrap", "packages", "initramfs", "readonly");
        assertThat(Stages.COLLECT.name()).isEqualTo("collect");

        BuildContext ctx = new BuildContext(SpecLoader.parse(EXAMPLE, "test.yaml"), SOURCES);
        StageDefinition initramfs = Stages.CACHED.get(2);
        List<StageDefinition.Input> inputs = new java.util.ArrayList<>(initramfs.inputs());
        inputs.add(new StageDefinition.Env("ROCLUSTER_KERNEL", c -> "6.1"));
        StageDefinition withKernelInput = new StageDefinition(initramfs.name(), initramfs.script(), inputs);
        StageInput plain = initramfs.input(ctx);
        StageInput more = withKernelInput.input(ctx);
        assertThat(more.env()).containsEntry("ROCLUSTER_KERNEL", "6.1");
        assertThat(more.files()).isEqualTo(plain.files());
        assertThat(StageDigests.digest("p", more)).isNotEqualTo(StageDigests.digest("p", plain));
        // The initramfs stage carries the spec's dracut settings, and nothing of rwtab or statetab.
        assertThat(new String(plain.files(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("dracut.conf", "add_drivers+=\" e1000 virtio_net \"").doesNotContain("rwtab");
        // The readonly stage's rendered files win over the static trees and carry the plan.
        StageInput readonly = Stages.CACHED.get(3).input(ctx);
        assertThat(readonly.env()).containsOnlyKeys("ROCLUSTER_FILE_CAPABILITIES");
        // The clamp is the uncached reproducible step's: given, or where it comes from in the packages.
        StageInput derived = Stages.REPRODUCIBLE.input(ctx);
        assertThat(derived.env()).containsOnly(java.util.Map.entry("ROCLUSTER_EPOCH_FROM", "release"),
                java.util.Map.entry("ROCLUSTER_PACKAGING", "deb"), java.util.Map.entry("SOURCE_DATE_EPOCH", ""));
        StageInput given = Stages.REPRODUCIBLE.input(new BuildContext(ctx.spec(), SOURCES, java.util.OptionalLong.of(1700000000)));
        assertThat(given.env()).containsEntry("SOURCE_DATE_EPOCH", "1700000000");
        assertThat(new String(given.files(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("reproducible.sh", "mounts.sh");
        assertThat(new String(readonly.files(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("readonly/plan", "readonly/files/etc/rwtab.d/rocluster");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

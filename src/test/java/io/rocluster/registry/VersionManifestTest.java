package io.rocluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class VersionManifestTest {

    static final Reference REF = Reference.parse("127.0.0.1:5000/cluster/compute:stable");
    static final String ROOTFS = "compute-it-a.rootfs.tar.zst";

    private static String d(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    private static String hex(char c) {
        return String.valueOf(c).repeat(64);
    }

    /** A well-formed version: five files, the rootfs in two frames. */
    private static VersionManifest.Config config(UnaryOperator<List<VersionManifest.FileInfo>> edit) {
        List<VersionManifest.FileInfo> files = new ArrayList<>(List.of(
                new VersionManifest.FileInfo("SHA256SUMS", 300, hex('1'), java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789)),
                new VersionManifest.FileInfo(ROOTFS, 1500, hex('2'), java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789)),
                new VersionManifest.FileInfo("initramfs.img", 40, hex('3'), java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789)),
                new VersionManifest.FileInfo("manifest.json", 5000, hex('4'), java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789)),
                new VersionManifest.FileInfo("vmlinuz", 50, hex('5'), java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789))));
        return new VersionManifest.Config("compute", "it-a", edit.apply(files));
    }

    private static List<VersionManifest.Layer> layers() {
        return new ArrayList<>(List.of(
                new VersionManifest.Layer(VersionManifest.MANIFEST, d('a'), 900, "manifest.json"),
                new VersionManifest.Layer(VersionManifest.SUMS, d('b'), 300, "SHA256SUMS"),
                new VersionManifest.Layer(VersionManifest.KERNEL, d('c'), 50, "vmlinuz"),
                new VersionManifest.Layer(VersionManifest.INITRAMFS, d('e'), 40, "initramfs.img"),
                new VersionManifest.Layer(VersionManifest.FRAME, d('f'), 1000, null),
                new VersionManifest.Layer(VersionManifest.FRAME, d('0'), 500, null)));
    }

    private static VersionManifest roundTrip(VersionManifest.Config c, List<VersionManifest.Layer> layers) {
        byte[] cfg = VersionManifest.renderConfig(c);
        VersionManifest m = new VersionManifest(c, PushService.digest(cfg), cfg.length, layers, "2026-12-01T00:00:00Z");
        String json = new String(m.render(), StandardCharsets.UTF_8);
        return VersionManifest.parse(json, REF).withConfig(cfg, REF);
    }

    @Test
    void aRenderedVersionParsesBackAndRendersTheSameBytes() {
        VersionManifest.Config c = config(f -> f);
        VersionManifest back = roundTrip(c, layers());
        assertThat(back.config()).isEqualTo(c);
        assertThat(back.layers()).isEqualTo(layers());
        assertThat(back.frames()).hasSize(2);
        assertThat(back.config().rootfs()).isEqualTo(ROOTFS);
        assertThat(back.render()).isEqualTo(roundTrip(c, layers()).render());
    }

    @Test
    void refusesManifestsThatAreNotRoclusterVersions() {
        String image = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + d('a')
                + "\",\"size\":2},\"layers\":[]}";
        assertThatThrownBy(() -> VersionManifest.parse(image, REF)).hasMessageContaining("is not a rocluster version");
        assertThatThrownBy(() -> VersionManifest.parse("not json", REF)).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> VersionManifest.parse("[]", REF)).hasMessageContaining("not a JSON object");
    }

    private static void refused(String json, String why) {
        assertThatThrownBy(() -> VersionManifest.parse(json, REF)).isInstanceOf(RoclusterException.class)
                .hasMessageContaining(why).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void checksEveryDescriptor() {
        VersionManifest.Config c = config(f -> f);
        byte[] cfg = VersionManifest.renderConfig(c);
        String good = new String(new VersionManifest(c, PushService.digest(cfg), cfg.length, layers(), null).render(),
                StandardCharsets.UTF_8);
        refused(good.replace(VersionManifest.KERNEL, "application/x-whatever"), "not one of rocluster's");
        refused(good.replace("\"vmlinuz\"", "\"../../etc/passwd\""), "no plain file name");
        refused(good.replace("\"vmlinuz\"", "\".hidden\""), "no plain file name");
        refused(good.replace(d('c'), "sha256:XYZ"), "no sha256 digest");
        refused(good.replace("\"size\":50,", "\"size\":-50,"), "no size");
        refused(good.replace("\"size\":50,", "\"size\":\"50\","), "no size");
        refused(good.replace("\"schemaVersion\":2", "\"schemaVersion\":1"), "schemaVersion 2");
        refused(good.replace(VersionManifest.CONFIG, "application/json"), "config's media type");
    }

    private static void refusedWith(VersionManifest.Config c, List<VersionManifest.Layer> layers, String why) {
        assertThatThrownBy(() -> roundTrip(c, layers)).isInstanceOf(RoclusterException.class).hasMessageContaining(why);
    }

    @Test
    void checksThatLayersAndConfigAgree() {
        VersionManifest.Config c = config(f -> f);
        List<VersionManifest.Layer> twice = layers();
        twice.add(new VersionManifest.Layer(VersionManifest.KERNEL, d('c'), 50, "vmlinuz"));
        refusedWith(c, twice, "more than one layer");

        List<VersionManifest.Layer> wrongType = layers();
        wrongType.set(2, new VersionManifest.Layer(VersionManifest.INITRAMFS, d('c'), 50, "vmlinuz"));
        refusedWith(c, wrongType, "travels as");

        List<VersionManifest.Layer> shortFrames = layers();
        shortFrames.remove(5);
        refusedWith(c, shortFrames, "frames add up to 1000 bytes");

        refusedWith(config(f -> {
            f.removeIf(i -> i.name().equals("vmlinuz"));
            return f;
        }), layers(), "no vmlinuz");

        List<VersionManifest.Layer> sizeMismatch = layers();
        sizeMismatch.set(2, new VersionManifest.Layer(VersionManifest.KERNEL, d('c'), 51, "vmlinuz"));
        refusedWith(c, sizeMismatch, "the config says 50");

        List<VersionManifest.Layer> extra = layers();
        extra.add(new VersionManifest.Layer(VersionManifest.FILE, d('9'), 5, "notes.txt"));
        refusedWith(c, extra, "different files");
    }

    @Test
    void refusesABadConfig() {
        VersionManifest.Config bad = new VersionManifest.Config("compute", "../it-a", config(f -> f).files());
        refusedWith(bad, layers(), "version '../it-a' is not valid");
        VersionManifest.Config dup = config(f -> {
            f.add(new VersionManifest.FileInfo("vmlinuz", 50, hex('5'), java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789)));
            return f;
        });
        refusedWith(dup, layers(), "not plain or not unique");
    }

    @Test
    void mediaTypesByFileName() {
        assertThat(VersionManifest.mediaTypeOf(ROOTFS, ROOTFS)).isEqualTo(VersionManifest.FRAME);
        assertThat(VersionManifest.mediaTypeOf("SHA256SUMS.minisig", ROOTFS)).isEqualTo(VersionManifest.SIGNATURE);
        assertThat(VersionManifest.mediaTypeOf("build.log", ROOTFS)).isEqualTo(VersionManifest.BUILD_LOG);
        assertThat(VersionManifest.compressed(VersionManifest.MANIFEST)).isTrue();
        assertThat(VersionManifest.compressed(VersionManifest.FRAME)).isFalse();
        assertThat(VersionManifest.compressed(VersionManifest.KERNEL)).isFalse();
    }
}

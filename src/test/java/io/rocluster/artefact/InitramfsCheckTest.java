package io.rocluster.artefact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Initramfs images made with the real cpio and gzip, as dracut makes them. */
class InitramfsCheckTest {

    private static final String KVER = "6.1.0-28-amd64";

    @TempDir
    Path tmp;

    private Path image(String modulesTxt, boolean hook, String... modulePaths) throws Exception {
        return TestArtefacts.initramfs(tmp, KVER, modulesTxt, hook, modulePaths);
    }

    @Test
    void dracutNfsImageWithDriversPasses() throws Exception {
        Path img = image("base\nnetwork-legacy\nnfs\nkernel-modules\n", true,
                "kernel/fs/nfs/nfs.ko.xz", "kernel/drivers/net/virtio_net.ko", "kernel/drivers/net/ethernet/intel/e1000/e1000.ko");

        List<InitramfsCheck.Result> r = InitramfsCheck.check(img, KVER, List.of("e1000", "virtio-net"));

        assertThat(r).allMatch(InitramfsCheck.Result::ok);
        assertThat(r).extracting(InitramfsCheck.Result::detail)
                .contains("usr/lib/dracut/hooks/cmdline/90-parse-nfsroot.sh",
                        "usr/lib/modules/" + KVER + "/kernel/fs/nfs/nfs.ko.xz");
    }

    @Test
    void imageWithoutNfsFailsOnEachMissingPiece() throws Exception {
        Path img = image("base\nkernel-modules\n", false, "kernel/drivers/net/virtio_net.ko");

        List<InitramfsCheck.Result> r = InitramfsCheck.check(img, KVER, List.of("e1000"));

        assertThat(r).filteredOn(c -> !c.ok()).extracting(InitramfsCheck.Result::what).containsExactly(
                "dracut module nfs", "dracut network module", "nfsroot cmdline hook", "nfs.ko for kernel " + KVER,
                "driver e1000");
    }

    @Test
    void modulesOfAnotherKernelDoNotCount() throws Exception {
        Path img = image("network\nnfs\n", true, "kernel/fs/nfs/nfs.ko");

        List<InitramfsCheck.Result> r = InitramfsCheck.check(img, "5.10.0-1-amd64", List.of());

        assertThat(r).filteredOn(c -> !c.ok()).extracting(InitramfsCheck.Result::what)
                .containsExactly("nfs.ko for kernel 5.10.0-1-amd64");
    }

    @Test
    void builtinDriverCounts() throws Exception {
        Path img = image("network\nnfs\n", true, "kernel/fs/nfs/nfs.ko", "modules.builtin");
        Files.writeString(tmp.resolve("root/usr/lib/modules/" + KVER + "/modules.builtin"),
                "kernel/drivers/net/ethernet/realtek/8139cp.ko\n");
        Files.delete(img);
        img = image("network\nnfs\n", true);

        List<InitramfsCheck.Result> r = InitramfsCheck.check(img, KVER, List.of("8139cp"));

        assertThat(r).allMatch(InitramfsCheck.Result::ok);
        assertThat(r.get(r.size() - 1).detail()).startsWith("built into the kernel");
    }
}

package io.rocluster.artefact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Initramfs images made with the real cpio and gzip, as dracut makes them. */
class InitramfsCheckTest {

    private static final String KVER = "6.1.0-28-amd64";

    @TempDir
    Path tmp;

    private Path image(String modulesTxt, boolean hook, String... modulePaths) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/cpio")), "cpio not installed");
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("usr/lib/dracut/hooks/cmdline"));
        Files.writeString(root.resolve("usr/lib/dracut/modules.txt"), modulesTxt);
        if (hook) {
            Files.writeString(root.resolve("usr/lib/dracut/hooks/cmdline/90-parse-nfsroot.sh"), "#!/bin/sh\n");
        }
        for (String m : modulePaths) {
            Path p = root.resolve("usr/lib/modules/" + KVER + "/" + m);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "module");
        }
        Path out = tmp.resolve("initramfs.img");
        Process p = new ProcessBuilder("sh", "-c", "find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n > " + out)
                .directory(root.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        return out;
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

package io.rocluster.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.InMemoryFileSystem;
import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InMemoryFileSystem.class)
class PxeLoaderTest {

    @InMemoryFileSystem.Root
    Path tmp;

    @Test
    void menuFilesAreTheLoaderLdlinuxAndTheMenuModulesOrTheMissingPackage() throws IOException {
        Path pxelinux = Files.createDirectories(tmp.resolve("PXELINUX"));
        Path bios = Files.createDirectories(tmp.resolve("bios"));
        PxeLoader loader = new PxeLoader(pxelinux, bios, tmp.resolve("grub"));
        assertThatThrownBy(loader::menuFiles).isInstanceOf(RoclusterException.class)
                .hasMessage("pxelinux.0 not found (looked in [" + pxelinux.resolve("pxelinux.0") + "]): apt-get install pxelinux");

        Files.writeString(pxelinux.resolve("pxelinux.0"), "x");
        for (String m : new String[] {"ldlinux.c32", "menu.c32", "libutil.c32"}) {
            Files.writeString(bios.resolve(m), m);
        }
        assertThatThrownBy(loader::menuFiles).hasMessageEndingWith("libcom32.c32]): apt-get install syslinux-common");

        Files.writeString(bios.resolve("libcom32.c32"), "x");
        Files.writeString(bios.resolve("other.c32"), "x");
        assertThat(loader.menuFiles()).containsOnlyKeys("pxelinux.0", "ldlinux.c32", "menu.c32", "libutil.c32", "libcom32.c32")
                .containsEntry("menu.c32", bios.resolve("menu.c32"));
        assertThat(loader.biosModules()).extracting(p -> p.getFileName().toString())
                .containsExactly("ldlinux.c32", "libcom32.c32", "libutil.c32", "menu.c32", "other.c32");
        assertThat(loader.hasGrubEfiModules()).isFalse();
    }

    @Test
    void aTftpRootServesItsTopLevelLoaderFilesOnly() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tftpboot"));
        Files.writeString(root.resolve("pxelinux.0"), "x");
        Files.writeString(root.resolve("ldlinux.c32"), "x");
        Files.writeString(root.resolve("boot.ipxe"), "x");
        Files.createSymbolicLink(root.resolve("menu.c32"), root.resolve("ldlinux.c32"));
        Files.createDirectories(root.resolve("images/v1"));
        Files.writeString(root.resolve("images/v1/x.c32"), "x");

        assertThat(PxeLoader.servedFrom(root)).containsExactly(
                java.util.Map.entry("ldlinux.c32", root.resolve("ldlinux.c32")),
                java.util.Map.entry("pxelinux.0", root.resolve("pxelinux.0")));
        assertThat(PxeLoader.servedFrom(tmp.resolve("none"))).isEmpty();
    }

    @Test
    void theGrubImageIsBuiltFromTheModulesDirectoryWithTheTftpPrefix() {
        PxeLoader loader = new PxeLoader(tmp, tmp, tmp.resolve("/g"));
        assertThat(loader.grubMkimageCommand(tmp.resolve("/out.efi"))).startsWith("/usr/bin/grub-mkimage", "-O", "x86_64-efi",
                "-d", "/g", "-p", "(tftp)/grub", "-o", "/out.efi").contains("efinet", "tftp", "linux");
    }
}

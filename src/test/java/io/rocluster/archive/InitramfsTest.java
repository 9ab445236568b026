package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Initramfs images made by the real cpio and compressors, laid out as dracut lays them out. */
class InitramfsTest {

    @TempDir
    Path tmp;

    private Path image(String compressor) throws Exception {
        Path early = Files.createDirectories(tmp.resolve("early/kernel/x86/microcode"));
        Files.write(early.resolve("GenuineIntel.bin"), new byte[] {1, 2, 3, 4, 5});
        Path main = Files.createDirectories(tmp.resolve("main"));
        Sh.run(main, """
                mkdir -p usr/lib/dracut/hooks/cmdline usr/bin dev
                printf 'nfs\\nnetwork\\nbase\\n' > usr/lib/dracut/modules.txt
                printf '#!/bin/sh\\n' > usr/lib/dracut/hooks/cmdline/90-parse-nfsroot.sh
                chmod 755 usr/lib/dracut/hooks/cmdline/90-parse-nfsroot.sh
                printf 'busybox binary' > usr/bin/busybox
                ln usr/bin/busybox usr/bin/sh
                ln -s usr/lib lib
                mknod dev/console c 5 1
                """);
        Path img = tmp.resolve("initramfs-" + compressor.split(" ")[0] + ".img");
        // cpio pads each archive to 512 bytes; the early one stays uncompressed, as the kernel requires.
        Sh.run(tmp, "(cd early && find . | sort | cpio -o -H newc --quiet) > " + img
                + " && (cd main && find . | sort | cpio -o -H newc --quiet) | " + compressor + " >> " + img);
        return img;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip -c", "xz -c --check=crc32", "zstd -c -q", "bzip2 -c", "cat"})
    void listsAndReadsEarlyAndMainArchives(String compressor) throws Exception {
        Initramfs i = Initramfs.open(image(compressor));

        assertThat(i.entries()).extracting(Initramfs.Entry::path)
                .contains("kernel/x86/microcode/GenuineIntel.bin", "usr/lib/dracut/modules.txt",
                        "usr/lib/dracut/hooks/cmdline/90-parse-nfsroot.sh", "lib", "dev/console");
        assertThat(i.entries()).filteredOn(e -> e.path().equals("kernel/x86/microcode/GenuineIntel.bin"))
                .singleElement().satisfies(e -> assertThat(e.segment()).isZero());
        assertThat(i.entries()).filteredOn(e -> e.path().equals("usr/lib/dracut/modules.txt"))
                .singleElement().satisfies(e -> {
                    assertThat(e.segment()).isEqualTo(1);
                    assertThat(e.type()).isEqualTo(FileEntry.Type.FILE);
                    assertThat(e.size()).isEqualTo(17);
                });
        assertThat(i.entries()).filteredOn(e -> e.path().equals("lib")).singleElement()
                .satisfies(e -> assertThat(e.linkTarget()).isEqualTo("usr/lib"));
        assertThat(i.entries()).filteredOn(e -> e.path().equals("dev/console")).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(FileEntry.Type.CHAR_DEVICE));
        assertThat(i.entries()).filteredOn(e -> e.path().startsWith("usr/bin/"))
                .extracting(Initramfs.Entry::size).containsOnly(14L);

        assertThat(i.read("usr/lib/dracut/modules.txt")).hasValueSatisfying(b ->
                assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("nfs\nnetwork\nbase\n"));
        assertThat(i.read("/kernel/x86/microcode/GenuineIntel.bin")).hasValue(new byte[] {1, 2, 3, 4, 5});
        // Both names of the hardlinked file read the shared data, wherever cpio put it.
        assertThat(i.read("usr/bin/busybox")).hasValue("busybox binary".getBytes(StandardCharsets.US_ASCII));
        assertThat(i.read("usr/bin/sh")).hasValue("busybox binary".getBytes(StandardCharsets.US_ASCII));
        assertThat(i.read("etc/missing")).isEmpty();
        assertThat(i.read("usr/lib")).isEmpty();
    }

    @Test
    void damagedImagesGiveOneClearLine() throws Exception {
        Path good = image("gzip -c");
        byte[] b = Files.readAllBytes(good);
        Path cut = tmp.resolve("cut.img");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length - 40));
        assertThatThrownBy(() -> Initramfs.open(cut)).isInstanceOf(RoclusterException.class)
                .hasMessageContaining("cut.img").hasMessageNotContaining("\n");
        Path junk = tmp.resolve("junk.img");
        Files.writeString(junk, "MZ this is a kernel, not an initramfs");
        assertThatThrownBy(() -> Initramfs.open(junk)).isInstanceOf(RoclusterException.class)
                .hasMessageContaining("has a segment rocluster cannot read (magic 4d5a");
    }

    @Test
    void readsTheHostsInitramfsIfThereIsOne() throws Exception {
        List<Path> images;
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            images = s.filter(p -> p.getFileName().toString().startsWith("initrd.img-")).toList();
        } catch (java.io.IOException e) {
            images = List.of();
        }
        Assumptions.assumeFalse(images.isEmpty(), "no /boot/initrd.img-* on this machine");
        Initramfs i = Initramfs.open(images.get(0));
        assertThat(i.entries()).isNotEmpty();
        assertThat(i.entries()).extracting(Initramfs.Entry::path).anyMatch(p -> p.endsWith("init"));
    }
}

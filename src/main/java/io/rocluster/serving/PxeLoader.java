package io.rocluster.serving;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The network boot loader files a TFTP root serves beside its menus, and where a host has them: BIOS
 * clients load pxelinux.0 (Debian package pxelinux) and its modules (syslinux-common), UEFI clients a
 * GRUB2 network image built from GRUB's modules (grub-efi-amd64-bin). {@code master init} copies and builds
 * them into a master's tftpboot; the boot test serves a master's own, or the host's when it has none.
 *
 * @param pxelinuxDir     where pxelinux.0 is
 * @param syslinuxBiosDir where the BIOS modules (ldlinux.c32, menu.c32, …) are
 * @param grubEfiModules  where GRUB's x86_64-efi modules are
 */
public record PxeLoader(Path pxelinuxDir, Path syslinuxBiosDir, Path grubEfiModules) {

    /** Where Debian's packages put them. */
    public static final PxeLoader HOST = new PxeLoader(Path.of("/usr/lib/PXELINUX"),
            Path.of("/usr/lib/syslinux/modules/bios"), Path.of("/usr/lib/grub/x86_64-efi"));

    /** The BIOS boot file, as DHCP names it. */
    public static final String BOOT_FILE = "pxelinux.0";

    /** The module pxelinux always loads. */
    public static final String LDLINUX = "ldlinux.c32";

    /** The modules a pxelinux menu (UI menu.c32) needs; without them the menu is a {@code boot:} prompt. */
    public static final List<String> MENU_MODULES = List.of("menu.c32", "libutil.c32", "libcom32.c32");

    /** The UEFI boot file (dnsmasq's X86-64_EFI pxe-service names it). */
    public static final String GRUB_NET_IMAGE = "grubnetx64.efi";

    /** The tool that builds {@link #GRUB_NET_IMAGE}. */
    public static final Path GRUB_MKIMAGE = Path.of("/usr/bin/grub-mkimage");

    /** Network (efinet, tftp), the menu (normal, configfile, echo, sleep, test), Linux boot, console output. */
    public static final List<String> GRUB_MODULES = List.of("efinet", "tftp", "net", "normal", "configfile", "echo",
            "sleep", "test", "linux", "gzio", "efi_gop", "efi_uga");

    /** This host's pxelinux.0. */
    public Path pxelinux() {
        return pxelinuxDir.resolve(BOOT_FILE);
    }

    /** Whether GRUB's UEFI modules are here to build {@link #GRUB_NET_IMAGE} from. */
    public boolean hasGrubEfiModules() {
        return Files.isRegularFile(grubEfiModules.resolve("efinet.mod"));
    }

    /** The {@code grub-mkimage} command that writes the UEFI network image to {@code output}. */
    public List<String> grubMkimageCommand(Path output) {
        List<String> cmd = new java.util.ArrayList<>(List.of(GRUB_MKIMAGE.toString(), "-O", "x86_64-efi", "-d",
                grubEfiModules.toString(), "-p", "(tftp)/grub", "-o", output.toString()));
        cmd.addAll(GRUB_MODULES);
        return cmd;
    }

    /** Every BIOS module this host has, by name. */
    public List<Path> biosModules() {
        if (!Files.isDirectory(syslinuxBiosDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(syslinuxBiosDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".c32")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * TFTP path to host file for what a pxelinux menu needs: the loader, ldlinux.c32 and the menu modules.
     *
     * @throws RoclusterException naming the package to install when one is missing
     */
    public Map<String, Path> menuFiles() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(BOOT_FILE, existing(pxelinux(), "pxelinux"));
        files.put(LDLINUX, existing(syslinuxBiosDir.resolve(LDLINUX), "syslinux-common"));
        for (String module : MENU_MODULES) {
            files.put(module, existing(syslinuxBiosDir.resolve(module), "syslinux-common"));
        }
        return files;
    }

    /** The loader files a TFTP root serves: the regular {@code *.0} and {@code *.c32} files at its top. */
    public static Map<String, Path> servedFrom(Path tftpRoot) {
        Map<String, Path> files = new LinkedHashMap<>();
        if (!Files.isDirectory(tftpRoot)) {
            return files;
        }
        try (Stream<Path> s = Files.list(tftpRoot)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.getFileName().toString().endsWith(".0") || p.getFileName().toString().endsWith(".c32"))
                    .sorted()
                    .forEach(p -> files.put(p.getFileName().toString(), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Path existing(Path file, String pkg) {
        if (!Files.isRegularFile(file)) {
            throw new RoclusterException(file.getFileName() + " not found (looked in [" + file + "]): apt-get install " + pkg);
        }
        return file;
    }
}

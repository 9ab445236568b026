package io.rocluster.boot;

import io.rocluster.RoclusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The BIOS network boot loader files a TFTP root needs beside its config: pxelinux.0 (Debian package
 * pxelinux) and the modules it loads (syslinux-common), taken from the host.
 */
final class PxeLoader {

    /** The file DHCP names as boot file. */
    static final String BOOT_FILE = "pxelinux.0";

    private static final List<Path> PXELINUX = List.of(Path.of("/usr/lib/PXELINUX/pxelinux.0"));
    private static final List<Path> MODULE_DIRS = List.of(Path.of("/usr/lib/syslinux/modules/bios"));
    // ldlinux.c32 is always loaded; the others let a config use the menu (UI menu.c32).
    private static final List<String> MODULES = List.of("ldlinux.c32", "menu.c32", "libutil.c32", "libcom32.c32");

    private PxeLoader() {}

    /** TFTP path to host file, for the loader and its modules. */
    static Map<String, Path> files() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(BOOT_FILE, first(PXELINUX, "pxelinux.0", "pxelinux"));
        for (String module : MODULES) {
            files.put(module, first(MODULE_DIRS.stream().map(d -> d.resolve(module)).toList(), module, "syslinux-common"));
        }
        return files;
    }

    private static Path first(List<Path> candidates, String what, String pkg) {
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new RoclusterException(
                what + " not found (looked in " + candidates + "): apt-get install " + pkg));
    }
}

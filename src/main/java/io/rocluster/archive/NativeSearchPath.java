package io.rocluster.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tells JNA where the system's libraries live before its first use. Left to itself, JNA's first native
 * call on Linux forks {@code /sbin/ldconfig -p} to learn those directories: 20 ms on an idle machine,
 * several hundred on a busy one, paid by every rocluster command that touches libc or libcrypto (pack,
 * unpack, deploy). The standard library directories are all JNA needs to find libc and libcrypto; a value
 * the user set ({@code -Djna.platform.library.path=…}) is kept.
 */
final class NativeSearchPath {

    static final String PROPERTY = "jna.platform.library.path";

    private NativeSearchPath() {}

    /** Sets {@value #PROPERTY} unless it is set already or this is not Linux; idempotent. */
    static synchronized void set() {
        if (System.getProperty(PROPERTY) != null
                || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return;
        }
        System.setProperty(PROPERTY, String.join(java.io.File.pathSeparator, directories()));
    }

    static List<String> directories() {
        String triplet = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            default -> null;
        };
        List<String> candidates = new ArrayList<>();
        if (triplet != null) {
            candidates.add("/usr/lib/" + triplet);
            candidates.add("/lib/" + triplet);
        }
        candidates.addAll(List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib"));
        List<String> dirs = new ArrayList<>();
        for (String c : candidates) {
            if (Files.isDirectory(Path.of(c))) {
                dirs.add(c);
            }
        }
        return dirs;
    }
}

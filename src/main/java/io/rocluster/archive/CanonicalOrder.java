package io.rocluster.archive;

import java.nio.charset.StandardCharsets;

/**
 * The one order of entries in a rootfs tarball: depth-first, a directory before its children, siblings
 * sorted by the bytes of their names. It is also the order of Go's {@code filepath.Walk} and so of the
 * Docker archive API, which lets a builder's stream be normalised on the fly.
 *
 * <p>Comparing whole paths byte by byte with "/" ranked below every other byte gives exactly this
 * order ("a/b" before "a.b", because the walk finishes "a" before it reaches its sibling "a.b").
 */
final class CanonicalOrder {

    private CanonicalOrder() {}

    /** Compares two "/"-separated relative paths in canonical order. */
    static int comparePaths(String a, String b) {
        return comparePaths(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static int comparePaths(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int x = a[i] == '/' ? -1 : a[i] & 0xff;
            int y = b[i] == '/' ? -1 : b[i] & 0xff;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** Compares two names (no "/") by their UTF-8 bytes, unsigned. */
    static int compareNames(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }
}

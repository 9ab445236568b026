package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.artefact.ArtefactDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The .pyc files of a built rootfs against their sources as clients will see them (mtimes as clamped in the
 * tarball): each one is either hash-based (PEP 552) or records exactly its source's mtime and size, so Python
 * never finds one stale on a read-only root. Reads the header PEP 552 defines: magic, flags, then mtime and
 * size (flags 0) or the source hash.
 */
final class PycCheck {

    private record Header(int flags, long mtime, long size) {}

    private PycCheck() {}

    /**
     * How many .pyc files there were, and how many of them are hash-based.
     *
     * @param total  .pyc files in __pycache__ directories
     * @param hashed of those, hash-based (checked or not)
     */
    record Counts(int total, int hashed) {}

    /** Asserts every .pyc fresh. */
    static Counts assertNoneStale(ArtefactDirectory a) throws IOException {
        Map<String, long[]> sources = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        Map<String, Header> pycs = new HashMap<>();
        Map<String, String> symlinks = new HashMap<>();
        try (InputStream in = a.openRootfsTar(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName();
                // A hardlink's entry carries no size: its data is the earlier entry's (Debian links
                // _sysconfigdata__linux_x86_64-linux-gnu.py to _sysconfigdata__x86_64-linux-gnu.py).
                long size = e.isLink() ? sizes.getOrDefault("./" + e.getLinkName().replaceFirst("^\\./", ""), -1L)
                        : e.getSize();
                sizes.put(name, size);
                if (e.isSymbolicLink()) {
                    // Python stats a source through its symlinks (Debian's _sysconfigdata__linux_x86_64-linux-gnu.py
                    // is one): the .pyc records the target's mtime and size. (isFile() is true for symlinks too.)
                    symlinks.put(name, e.getLinkName());
                } else if (name.endsWith(".py") && (e.isFile() || e.isLink())) {
                    sources.put(name, new long[] {e.getModTime().getTime() / 1000, size});
                } else if (name.endsWith(".pyc") && name.contains("/__pycache__/") && e.isFile()) {
                    ByteBuffer h = ByteBuffer.wrap(tar.readNBytes(16)).order(ByteOrder.LITTLE_ENDIAN);
                    pycs.put(name, new Header(h.getInt(4), h.getInt(8) & 0xffffffffL, h.getInt(12) & 0xffffffffL));
                }
            }
        }
        int hashed = 0;
        for (Map.Entry<String, Header> p : pycs.entrySet()) {
            String pyc = p.getKey();
            String dir = pyc.substring(0, pyc.indexOf("/__pycache__/"));
            String base = pyc.substring(pyc.lastIndexOf('/') + 1);
            String source = dir + "/" + base.substring(0, base.indexOf('.')) + ".py";
            Header h = p.getValue();
            if ((h.flags() & 1) != 0) {
                hashed++;
                continue;
            }
            long[] src = sources.get(resolve(source, symlinks));
            if (src == null) {
                continue; // sourceless, or a source removed on purpose: nothing to compare
            }
            assertThat(h.mtime()).as("%s records the mtime of %s", pyc, source).isEqualTo(src[0] & 0xffffffffL);
            assertThat(h.size()).as("%s records the size of %s", pyc, source).isEqualTo(src[1] & 0xffffffffL);
        }
        System.out.println("BuildIT .pyc: " + pycs.size() + " files, " + hashed + " hash-based");
        return new Counts(pycs.size(), hashed);
    }

    /** The name {@code name} stands for once its symlinks (relative or absolute, in the root) are followed. */
    private static String resolve(String name, Map<String, String> symlinks) {
        for (int hops = 0; hops < 40 && symlinks.containsKey(name); hops++) {
            String target = symlinks.get(name);
            Path in = Path.of(name.replaceFirst("^\\./", "")).getParent();
            Path next = target.startsWith("/") ? Path.of(target.replaceFirst("^/+", ""))
                    : (in == null ? Path.of(target) : in.resolve(target));
            name = "./" + next.normalize();
        }
        return name;
    }
}

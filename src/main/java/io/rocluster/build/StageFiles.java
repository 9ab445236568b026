package io.rocluster.build;

import io.rocluster.archive.FileEntry;
import io.rocluster.archive.TarEntry;
import io.rocluster.archive.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the tar of files a stage gets in {@code /build/stage}, deterministically (sorted names, mtime 0,
 * owner root), so that its digest changes exactly when a file's name, content, mode or link target does.
 * Owners are root whoever checked out the source tree: these files end up in an image.
 */
final class StageFiles {

    /** {@code . "$here/lib.sh"}: a library a stage script sources from its own directory. */
    private static final Pattern SOURCED = Pattern.compile("(?m)^\\s*\\.\\s+\"\\$here/([A-Za-z0-9._-]+)\"");

    private record Item(byte[] data, int mode, String linkTarget, boolean directory) {}

    private final Map<String, Item> items = new TreeMap<>();

    /**
     * Adds script {@code name} of {@code dir} and, recursively, the libraries it sources (looked up in
     * {@code dir}, then its parent).
     */
    StageFiles script(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            file = dir.getParent().resolve(name);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("stage script missing: " + dir.resolve(name));
        }
        if (items.containsKey(name)) {
            return this;
        }
        byte[] data = Files.readAllBytes(file);
        items.put(name, new Item(data, 0755, null, false));
        Matcher m = SOURCED.matcher(new String(data, StandardCharsets.UTF_8));
        while (m.find()) {
            script(dir, m.group(1));
        }
        return this;
    }

    /** Adds a file with the given content and mode at {@code path} (relative, "/"-separated). */
    StageFiles file(String path, byte[] content, int mode) {
        parents(path);
        items.put(path, new Item(content, mode, null, false));
        return this;
    }

    /**
     * Adds the tree under {@code dir} at {@code prefix}: directories, regular files with their permission bits,
     * symlinks as symlinks (never followed). A missing {@code dir} adds nothing.
     */
    StageFiles tree(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return this;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(p -> !p.equals(dir)).sorted().toList();
        }
        for (Path p : paths) {
            String rel = prefix + "/" + dir.relativize(p).toString().replace('\\', '/');
            parents(rel);
            if (Files.isSymbolicLink(p)) {
                items.put(rel, new Item(null, 0777, Files.readSymbolicLink(p).toString(), false));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                items.put(rel, new Item(null, mode(p), null, true));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                items.put(rel, new Item(Files.readAllBytes(p), mode(p), null, false));
            } else {
                throw new IOException(p + ": only files, directories and symlinks can be copied into an image");
            }
        }
        return this;
    }

    private void parents(String path) {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            String parent = path.substring(0, slash);
            parents(parent);
            items.putIfAbsent(parent, new Item(null, 0755, null, true));
        }
    }

    private static int mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= 1 << (8 - perm.ordinal());
        }
        return mode;
    }

    /** The tar, uncompressed: written by rocluster's own tar writer, owner root, mtime 0. */
    byte[] toTar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            for (Map.Entry<String, Item> e : items.entrySet()) {
                Item it = e.getValue();
                if (it.linkTarget() != null) {
                    tar.putEntry(entry(e.getKey(), FileEntry.Type.SYMLINK, it.mode(), 0, it.linkTarget()));
                } else if (it.directory()) {
                    tar.putEntry(entry(e.getKey() + "/", FileEntry.Type.DIRECTORY, it.mode(), 0, null));
                } else {
                    tar.putEntry(entry(e.getKey(), FileEntry.Type.FILE, it.mode(), it.data().length, null));
                    tar.write(it.data(), 0, it.data().length);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static TarEntry entry(String name, FileEntry.Type type, int mode, long size, String linkTarget) {
        return new TarEntry(name, type, mode, 0, 0, size, 0, linkTarget, 0, 0, null);
    }
}

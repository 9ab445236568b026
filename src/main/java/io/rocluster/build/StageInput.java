package io.rocluster.build;

import io.rocluster.archive.TarEntry;
import io.rocluster.archive.TarReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Everything a stage script receives, and so everything its result depends on besides the previous stage:
 * the script, the files copied beside it into {@code /build/stage} (a deterministic tar), and its environment.
 * The stage digest is computed from exactly this, so a cache hit can never miss an input.
 *
 * @param stage  stage name (bootstrap, packages, readonly, initramfs, collect)
 * @param script the script's file name in {@code /build/stage}, e.g. {@code 20-packages.sh}
 * @param files  uncompressed tar extracted into {@code /build/stage}: the script, the libraries it sources,
 *               the stage's own inputs
 * @param env    environment variables, sorted by name
 */
public record StageInput(String stage, String script, byte[] files, Map<String, String> env) {

    public StageInput {
        env = java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    }

    /**
     * The environment the script runs with: its own, plus where the root and the report directory are. The
     * build passes {@code /build/root} and {@code /build/out}; {@code rocluster apply} directories of the host.
     */
    public Map<String, String> environment(String root, String out) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("ROOT", root);
        all.put("OUT", out);
        all.put("LC_ALL", "C.UTF-8");
        return all;
    }

    /**
     * Extracts {@link #files()} into the new directory {@code dir} as Docker extracts them into the builder:
     * directories, files with their mode and mtime, symlinks as symlinks. The tar is rocluster's own
     * ({@link StageFiles}), so its names are plain relative paths.
     */
    void extractTo(Path dir) throws IOException {
        Files.createDirectory(dir);
        try (TarReader tar = new TarReader(new ByteArrayInputStream(files))) {
            for (TarEntry e = tar.next(); e != null; e = tar.next()) {
                String name = e.name().replaceAll("/+$", "");
                if (name.isEmpty() || name.startsWith("/") || ("/" + name + "/").contains("/../")) {
                    throw new IOException("stage input entry '" + e.name() + "' is not a plain relative path");
                }
                Path p = dir.resolve(name);
                switch (e.type()) {
                    case SYMLINK -> {
                        Files.createSymbolicLink(p, Path.of(e.linkTarget()));
                        continue;
                    }
                    case DIRECTORY -> Files.createDirectories(p);
                    case FILE -> Files.copy(tar.content(), p);
                    default -> throw new IOException("stage input entry '" + e.name() + "' is a " + e.type());
                }
                Files.setPosixFilePermissions(p, permissions(e.mode()));
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.from(e.mtime(), TimeUnit.SECONDS), null, null);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE: bits 8 … 0
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }
}

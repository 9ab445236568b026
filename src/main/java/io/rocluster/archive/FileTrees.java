package io.rocluster.archive;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removal of whole trees that may hold a client root: extracted aside, staged artefacts, deployed versions,
 * the boot test's work directory. A root is full of symlinks that point outside it (absolute targets such as
 * /etc/localtime), so nothing here ever follows one; read-only directories (mode 0555) are emptied too.
 */
public final class FileTrees {

    private FileTrees() {}

    /** Removes {@code root} and everything below it without following symlinks; a missing root is fine. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                // An extracted root may hold read-only directories (e.g. mode 0555): make them writable to empty them.
                if (!Files.isWritable(dir)) {
                    dir.toFile().setWritable(true, true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@link #delete} on a failure path: best effort, never throws (the next command cleans up the rest). */
    public static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the caller is already reporting a more important failure.
        }
    }
}

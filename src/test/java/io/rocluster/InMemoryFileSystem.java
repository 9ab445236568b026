package io.rocluster;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-memory Unix file system (jimfs) per test, for tests that only need a file system: path logic, spec
 * files, rendered configuration. POSIX permissions and symlinks work as on Linux; nothing touches the disk.
 * Tests that run real tools (tar, bash, setcap) on files keep real temporary directories.
 *
 * <pre>
 * &#64;RegisterExtension
 * final InMemoryFileSystem memory = new InMemoryFileSystem();
 * </pre>
 */
public final class InMemoryFileSystem implements BeforeEachCallback, AfterEachCallback {

    private FileSystem fs;
    private Path root;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix")
                .setWorkingDirectory("/work")
                .build());
        root = Files.createDirectories(fs.getPath("/work"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        fs.close();
    }

    /** An empty directory of this test's file system (its working directory). */
    public Path root() {
        return root;
    }
}

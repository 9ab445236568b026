package io.rocluster;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-memory Unix file system (jimfs) per test, for tests that only need a file system: path logic, spec
 * files, rendered configuration. POSIX permissions and symlinks work as on Linux; nothing touches the disk.
 * Tests that run real tools (tar, bash, setcap) on files keep real temporary directories. Used like
 * {@code @TempDir}:
 *
 * <pre>
 * &#64;ExtendWith(InMemoryFileSystem.class)
 * class SomeTest {
 *     &#64;InMemoryFileSystem.Root
 *     Path tmp;
 * </pre>
 */
public final class InMemoryFileSystem implements BeforeEachCallback {

    /** Marks the test's {@code Path} field that gets an empty directory of a fresh in-memory file system. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Root {}

    @Override
    public void beforeEach(ExtensionContext context) throws IOException, IllegalAccessException {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix")
                .setWorkingDirectory("/work")
                .build());
        // Closed when the test method's context ends.
        context.getStore(ExtensionContext.Namespace.create(InMemoryFileSystem.class))
                .put("fs", (ExtensionContext.Store.CloseableResource) fs::close);
        Path root = Files.createDirectories(fs.getPath("/work"));
        Object test = context.getRequiredTestInstance();
        for (Field f : test.getClass().getDeclaredFields()) {
            if (f.isAnnotationPresent(Root.class)) {
                f.setAccessible(true);
                f.set(test, root);
            }
        }
    }
}

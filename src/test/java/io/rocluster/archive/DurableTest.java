package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableTest {

    @TempDir
    Path tmp;

    @Test
    void writesReplaceTheTargetWholeAndLeaveNothingAside() throws Exception {
        Path f = tmp.resolve("state.json");
        Durable.writeString(f, "one\n");
        Durable.writeString(f, "two\n");
        Durable.appendLine(f, "three");
        assertThat(f).hasContent("two\nthree\n");
        Durable.replaceSymlink(tmp.resolve("current"), Path.of("state.json"));
        Durable.replaceSymlink(tmp.resolve("current"), Path.of("other"));
        assertThat(Files.readSymbolicLink(tmp.resolve("current"))).isEqualTo(Path.of("other"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("state.json", "current");
        }
    }

    @Test
    void aRenameMovesADirectoryIntoPlaceAndADirectoryCannotBeAFile() throws Exception {
        Path aside = Files.createDirectories(tmp.resolve(".incoming-v1"));
        Files.writeString(aside.resolve("f"), "x");
        Durable.syncFile(aside.resolve("f"));
        Durable.rename(aside, tmp.resolve("v1"));
        assertThat(tmp.resolve("v1/f")).hasContent("x");
        assertThat(aside).doesNotExist();

        Durable.ensureDirectory(tmp.resolve("a/b"));
        assertThat(tmp.resolve("a/b")).isDirectory();
        assertThatThrownBy(() -> Durable.ensureDirectory(tmp.resolve("v1/f"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("exists and is not a directory");
    }
}

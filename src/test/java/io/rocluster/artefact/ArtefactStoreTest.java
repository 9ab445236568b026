package io.rocluster.artefact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.InMemoryFileSystem;
import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InMemoryFileSystem.class)
class ArtefactStoreTest {

    @InMemoryFileSystem.Root
    Path tmp;

    @Test
    void firstNightlyOfADayIsOne() throws IOException {
        assertThat(new ArtefactStore(tmp).nextNightly("img", LocalDate.of(2026, 3, 7))).isEqualTo("2026.03.07.1");
    }

    @Test
    void nightlySkipsFinishedAndInProgressVersionsOfThatDayOnly() throws IOException {
        Path img = Files.createDirectories(tmp.resolve("img"));
        Files.createDirectories(img.resolve("2026.03.07.1"));
        Files.createDirectories(img.resolve(".incoming-2026.03.07.2-123"));
        Files.createDirectories(img.resolve("2026.03.06.3"));
        Files.createDirectories(img.resolve("2026.03.07.4"));

        assertThat(new ArtefactStore(tmp).nextNightly("img", LocalDate.of(2026, 3, 7))).isEqualTo("2026.03.07.3");
    }

    @Test
    void versionsIgnoreStagingDirectories() throws IOException {
        Path img = Files.createDirectories(tmp.resolve("img"));
        Files.createDirectories(img.resolve("b"));
        Files.createDirectories(img.resolve("a"));
        Files.createDirectories(img.resolve(".incoming-c-1"));

        assertThat(new ArtefactStore(tmp).versions("img")).containsExactly("a", "b");
    }

    @Test
    void badVersionsAreRefusedWithTheRule() {
        for (String bad : new String[] {"", "-x", "../x", "a/b", "x".repeat(65), "a b"}) {
            assertThatThrownBy(() -> new ArtefactStore(tmp).dir("img", bad))
                    .isInstanceOf(RoclusterException.class).hasMessageContaining("is not a version: use 1 to 64 letters");
        }
        assertThat(new ArtefactStore(tmp).dir("img", "2026.03.07.1")).isEqualTo(tmp.resolve("img/2026.03.07.1"));
    }
}

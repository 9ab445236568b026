package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffServiceTest {

    @TempDir
    Path tmp;

    @Test
    void aNameIsAnArtefactDirectoryFirstThenADeployedVersion() throws Exception {
        MasterFixture m = new MasterFixture(tmp);
        Path artefact = Files.createDirectories(tmp.resolve("out/v1"));
        Files.writeString(artefact.resolve("manifest.json"), "{}");
        DiffService diff = new DiffService(m.layout);

        // A directory with a manifest is read as one (this one is no manifest: the reader says so).
        assertThatThrownBy(() -> diff.manifest(artefact.toString())).isInstanceOf(RoclusterException.class)
                .hasMessageContaining(artefact.resolve("manifest.json").toString());
        // A bare name that is not deployed, or not a version at all: one line with both ways to name one.
        for (String bad : new String[] {"v9", tmp.resolve("nowhere").toString()}) {
            assertThatThrownBy(() -> diff.manifest(bad)).isInstanceOf(RoclusterException.class)
                    .hasMessage("'" + bad + "' is neither an artefact directory (no manifest.json in it) nor a version "
                            + "deployed on the master " + m.layout.root() + ": give output/<name>/<version>, or a "
                            + "version that rocluster list --master DIR shows");
        }
        assertThatThrownBy(() -> diff.manifest("..")).hasMessageContaining("is not a version");
    }
}

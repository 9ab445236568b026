package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.InMemoryFileSystem;
import io.rocluster.RoclusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Where things live on a master: pure path logic, on an in-memory file system. */
@ExtendWith(InMemoryFileSystem.class)
class MasterLayoutTest {

    @InMemoryFileSystem.Root
    Path root;

    @Test
    void theRootIsTheOptionElseTheEnvironmentElseTheReferencePath() {
        Path option = root.resolve("m/../opt");
        assertThat(MasterLayout.resolve(option, Map.of(MasterLayout.ENV, "/env")).root()).isEqualTo(root.resolve("opt"));
        assertThat(MasterLayout.resolve(null, Map.of(MasterLayout.ENV, "/env")).root()).isEqualTo(Path.of("/env"));
        assertThat(MasterLayout.resolve(null, Map.of(MasterLayout.ENV, " ")).root()).isEqualTo(MasterLayout.DEFAULT_ROOT);
        assertThat(MasterLayout.resolve(null, Map.of()).root()).isEqualTo(Path.of("/data/cluster"));
    }

    @Test
    void versionPathsAreCheckedBeforeTheyArePaths() {
        MasterLayout l = new MasterLayout(root.resolve("master"));
        assertThat(l.imageRoot("2026.11.25.1")).isEqualTo(root.resolve("master/images/2026.11.25.1/root"));
        assertThat(l.tftpImage("v1")).isEqualTo(root.resolve("master/tftpboot/images/v1"));
        assertThat(l.inUse("v1")).isEqualTo(root.resolve("master/.in-use/v1"));
        assertThat(l.currentConfigs()).isEqualTo(root.resolve("master/tftpboot/configs/current"));
        for (String bad : new String[] {"..", "../etc", ".incoming-v1", "a/b"}) {
            assertThatThrownBy(() -> l.image(bad)).isInstanceOf(RoclusterException.class).hasMessageContaining("is not a version");
            assertThatThrownBy(() -> l.tftpImage(bad)).isInstanceOf(RoclusterException.class);
            assertThatThrownBy(() -> l.inUse(bad)).isInstanceOf(RoclusterException.class);
        }
    }

    @Test
    void anUninitialisedMasterSaysHowToInitialiseIt() throws Exception {
        MasterLayout l = new MasterLayout(root.resolve("master"));
        assertThatThrownBy(l::requireInitialised).isInstanceOf(RoclusterException.class)
                .hasMessage("no rocluster master at " + l.root() + " (no master.yaml): run rocluster master init --master "
                        + l.root() + " --server ADDR --clients CIDR, or point --master / ROCLUSTER_MASTER at one");
        Files.createDirectories(l.root());
        Files.writeString(l.config(), "server: x\n");
        l.requireInitialised();
    }

    @Test
    void aVersionIsDeployedWhenItsDirectoryIsThereAndTheRefusalSaysHowToDeployIt() throws Exception {
        MasterLayout l = new MasterLayout(root.resolve("master"));
        assertThatThrownBy(() -> l.requireDeployed("v1")).isInstanceOf(RoclusterException.class)
                .hasMessage("version v1 is not deployed on " + l.root() + ": rocluster list shows what is; deploy it "
                        + "first with rocluster deploy ARTEFACT");
        Files.createDirectories(l.image("v1"));
        l.requireDeployed("v1");
        Files.createDirectories(l.images());
        Files.createSymbolicLink(l.image("v2"), l.image("v1"));
        assertThatThrownBy(() -> l.requireDeployed("v2")).isInstanceOf(RoclusterException.class);
    }
}

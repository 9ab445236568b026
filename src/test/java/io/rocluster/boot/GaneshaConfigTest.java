package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GaneshaConfigTest {

    @Test
    void serverListensOnLoopbackForNfs4OnlyWithoutGraceAndKeepsStateInTheWorkDirectory() {
        String core = GaneshaServer.coreConfig(Path.of("/tmp/w/recovery"));
        assertThat(core).contains("Protocols = 4;", "NFS_Port = 2049;", "Bind_addr = 127.0.0.1;",
                "Enable_NLM = false;", "Graceless = true;", "Only_Numeric_Owners = true;", "RecoveryRoot = \"/tmp/w/recovery\";");
    }

    @Test
    void exportsImagesReadOnlyAndStateReadWriteAtThePathsClientsMount() {
        String blocks = GaneshaExport.render(List.of(
                new GaneshaExport(1, Path.of("/srv/m/images"), "/data/cluster/images", false),
                new GaneshaExport(2, Path.of("/srv/m/state"), "/data/cluster/state", true)));
        assertThat(blocks.split("EXPORT \\{")).hasSize(3);
        assertThat(blocks).contains("Export_Id = 1;\n    Path = \"/srv/m/images\";\n    Pseudo = \"/data/cluster/images\";\n"
                + "    Access_Type = RO;");
        assertThat(blocks).contains("Export_Id = 2;\n    Path = \"/srv/m/state\";\n    Pseudo = \"/data/cluster/state\";\n"
                + "    Access_Type = RW;");
        assertThat(blocks).contains("Squash = No_Root_Squash;", "FSAL { Name = VFS; }");
    }
}

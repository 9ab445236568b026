package io.rocluster.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GaneshaConfigTest {

    @Test
    void serverListensOnLoopbackForNfs4OnlyWithoutGraceAndKeepsStateInTheWorkDirectory() {
        String core = GaneshaServer.coreConfig(Path.of("/tmp/w/recovery"));
        assertThat(core).contains("Protocols = 4;", "NFS_Port = 2049;", "Bind_addr = 127.0.0.1;",
                "Enable_NLM = false;", "Graceless = true;", "Only_Numeric_Owners = true;", "RecoveryRoot = \"/tmp/w/recovery\";");
    }

    @Test
    void exportsImagesReadOnlyAndStateReadWriteAtThePathsClientsMountToLoopbackOnly() {
        String blocks = GaneshaServer.exports(Path.of("/srv/m/images"), "/data/cluster/images",
                Path.of("/srv/m/state"), "/data/cluster/state");
        String[] parts = blocks.split("EXPORT \\{");
        assertThat(parts).hasSize(3);
        assertThat(parts[1]).contains("Export_Id = 1;", "Path = \"/srv/m/images\";", "Pseudo = \"/data/cluster/images\";",
                "Protocols = 4;", "Clients = 127.0.0.1/32;", "Access_Type = RO;", "Squash = No_Root_Squash;");
        assertThat(parts[2]).contains("Export_Id = 2;", "Path = \"/srv/m/state\";", "Pseudo = \"/data/cluster/state\";",
                "Clients = 127.0.0.1/32;", "Access_Type = RW;");
    }
}

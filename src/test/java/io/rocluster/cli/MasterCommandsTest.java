package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master verbs through the real command line: parsing, exit codes, what they print. */
class MasterCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void initClientsRenderStatus() throws Exception {
        String m = tmp.resolve("m").toString();
        Cli.Run init = Cli.run("master", "init", "--master", m, "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
        assertThat(init.code()).isZero();
        assertThat(init.out()).contains("initialised master " + m, "NFSv4");
        assertThat(Path.of(m, "master.yaml")).exists();

        assertThat(Cli.run("clients", "add", "--master", m, "node01.example", "node02.example").out())
                .contains("added node01.example", "added node02.example");
        assertThat(Cli.run("clients", "list", "--master", m).out()).contains("node01.example").contains("node02.example");

        Cli.Run ganesha = Cli.run("render", "ganesha", "--master", m);
        assertThat(ganesha.code()).isZero();
        assertThat(ganesha.out()).contains("EXPORT {", "Pseudo = \"/data/cluster/images\";");
        assertThat(Cli.run("render", "dnsmasq", "--master", m).out()).contains("dhcp-range=10.0.2.0,proxy,255.255.255.0");
        Cli.Run exports = Cli.run("render", "exports", "--master", m);
        assertThat(exports.code()).isEqualTo(1);
        assertThat(exports.err()).startsWith("rocluster: the kernel NFS server exports").contains("bind-mount");
        assertThat(Cli.run("render", "nfsd", "--master", m).code()).isEqualTo(2);

        Cli.Run status = Cli.run("status", "--master", m);
        assertThat(status.out()).contains("active:    none", "menu:      empty (generation 1)", "clients:   2");
    }

    @Test
    void errorsAreOneLineWithExitCodeOne() throws Exception {
        String m = tmp.resolve("m").toString();
        Cli.Run none = Cli.run("status", "--master", m);
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err().strip()).doesNotContain("\n").contains("no rocluster master at").contains("master init");
        Cli.run("master", "init", "--master", m, "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
        Cli.Run promote = Cli.run("promote", "--master", m, "1.0");
        assertThat(promote.code()).isEqualTo(1);
        assertThat(promote.err().strip()).doesNotContain("\n").contains("version 1.0 is not deployed");
        assertThat(Cli.run("rollback", "--master", m).err()).contains("nothing to roll back");
        assertThat(Cli.run("pin", "--master", m, "1.0").code()).isEqualTo(1);
        assertThat(Cli.run("master", "init", "--master", m, "--server", "10.0.2.2").code()).isEqualTo(2);
        assertThat(Files.readString(Path.of(m, "history.jsonl"))).isEmpty();
    }
}

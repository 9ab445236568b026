package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.master.MasterConfig;
import io.rocluster.master.MasterFixture;
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

    @Test
    void pinAndUnpinSayWhetherTheyChangedAnything() throws Exception {
        MasterFixture f = new MasterFixture(tmp);
        f.deployed("v1");
        String m = f.layout.root().toString();

        assertThat(Cli.run("pin", "--master", m, "v1").out()).isEqualTo("pinned v1\n");
        assertThat(Cli.run("pin", "--master", m, "v1").out()).isEqualTo("v1 was already pinned\n");
        assertThat(f.layout.pins().resolve("v1")).exists();
        Cli.Run gc = Cli.run("gc", "--master", m, "--keep", "0", "--dry-run");
        assertThat(gc.code()).isZero();
        assertThat(gc.out()).doesNotContain("would remove v1");

        assertThat(Cli.run("unpin", "--master", m, "v1").out()).isEqualTo("unpinned v1\n");
        assertThat(Cli.run("unpin", "--master", m, "v1").out()).isEqualTo("v1 was not pinned\n");
        assertThat(f.layout.pins().resolve("v1")).doesNotExist();
        assertThat(Cli.run("gc", "--master", m, "--keep", "0", "--dry-run").out()).contains("would remove v1");
        Cli.Run bad = Cli.run("unpin", "--master", m, "../etc");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("rocluster: '../etc' is not a version: use 1 to 64 letters, digits, '.', '_' "
                + "or '-', starting with a letter or digit\n");
        assertThat(Cli.run("unpin", "--master", m).code()).isEqualTo(2);
    }

    @Test
    void theMenuTimeoutDefaultIsMasterYamlsDefault() throws Exception {
        String m = tmp.resolve("m").toString();
        Cli.run("master", "init", "--master", m, "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
        assertThat(MasterConfig.read(Path.of(m, "master.yaml")).pxe()).isEqualTo(MasterConfig.Pxe.defaults());
        assertThat(MasterConfig.Pxe.defaults()).isEqualTo(new MasterConfig.Pxe(5, 3, true));
        assertThat(Cli.run("master", "init", "--help").out()).contains("Seconds the boot menu waits (default: 5)");
    }
}

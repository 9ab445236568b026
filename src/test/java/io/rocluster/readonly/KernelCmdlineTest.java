package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.spec.SpecLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** root= in dracut's syntax for each NFS version, and the whole boot command line. */
class KernelCmdlineTest {

    @Test
    void nfs4RootOfTheDebianExample() {
        var spec = SpecLoader.load(Path.of("examples/debian12.yaml"));

        assertThat(KernelCmdline.of(spec, "2026.01.02.1")).isEqualTo(
                "root=nfs4:10.0.2.2:/data/cluster/images/2026.01.02.1/root ro console=tty0 console=ttyS0,115200n8");
    }

    @Test
    void el7WithSelinuxDisabledTellsTheKernelToo() {
        var spec = SpecLoader.load(Path.of("examples/el7.yaml"));

        assertThat(KernelCmdline.of(spec, "v1")).startsWith("root=nfs4:192.168.100.1:/data/cluster/images/v1/root ro selinux=0 ");
    }

    @Test
    void nfs3CarriesVersAndTheSpecOptions() {
        var spec = SpecLoader.parse("name: c\nprofile: debian12\nnfs: {server: master.example, version: 3,"
                + " options: 'tcp,rsize=65536', masterRoot: /srv/cl}\n", "s.yaml");

        assertThat(KernelCmdline.rootArgument(spec, "v1"))
                .isEqualTo("root=nfs:master.example:/srv/cl/images/v1/root:vers=3,tcp,rsize=65536");
    }

    @Test
    void withoutServerDracutAsksDhcp() {
        var spec = SpecLoader.load(Path.of("examples/el7-diskful.yaml"));
        var noServer = SpecLoader.parse("name: c\nprofile: el7\nreadonly: {mode: diskful, rwLabel: a, stateLabel: b}\n", "s");

        assertThat(KernelCmdline.rootArgument(spec, "v1")).isEqualTo("root=nfs4:192.168.100.1:/data/cluster/images/v1/root");
        assertThat(KernelCmdline.rootArgument(noServer, "v1")).isEqualTo("root=nfs4:/data/cluster/images/v1/root");
    }

    @Test
    void versionMustBeAVersion() {
        var spec = SpecLoader.load(Path.of("examples/el7.yaml"));

        assertThatThrownBy(() -> KernelCmdline.rootPath(spec, "../x")).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.rocluster.readonly;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.spec.SpecLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The kernel arguments an image asks for. */
class KernelCmdlineTest {

    @Test
    void debianExampleAsksForItsSerialConsole() {
        var spec = SpecLoader.load(Path.of("examples/debian12.yaml"));

        assertThat(KernelCmdline.imageArguments(spec)).isEqualTo("console=tty0 console=ttyS0,115200n8");
    }

    @Test
    void el7WithSelinuxDisabledTellsTheKernelToo() {
        var spec = SpecLoader.load(Path.of("examples/el7.yaml"));

        assertThat(KernelCmdline.imageArguments(spec)).isEqualTo("selinux=0 console=tty0 console=ttyS0,115200n8");
    }

    @Test
    void nothingToAskIsEmpty() {
        var permissive = SpecLoader.parse("name: c\nprofile: el7\nnfs: {server: m}\nselinux: permissive\n", "s.yaml");
        var debian = SpecLoader.parse("name: c\nprofile: debian12\nnfs: {server: m}\n", "s.yaml");

        assertThat(KernelCmdline.imageArguments(permissive)).isEmpty();
        assertThat(KernelCmdline.imageArguments(debian)).isEmpty();
    }
}

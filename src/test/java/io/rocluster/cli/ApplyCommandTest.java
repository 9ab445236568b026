package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rocluster apply}'s exit codes and its one-line refusal, through the real command line. */
class ApplyCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aRootOfAnotherDistributionIsOneLineAndExitOne() throws Exception {
        Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(tmp.resolve("etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");

        Cli.Run r = Cli.run("apply", "examples/el7.yaml", "--root", tmp.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("rocluster: " + tmp + " is Debian GNU/Linux 12 (bookworm) (etc/os-release) but"
                + " examples/el7.yaml has profile el7, for CentOS 7 or RHEL 7: nothing changed; apply a spec of the"
                + " root's distribution, or check --root\n");
    }

    @Test
    void withoutRootItIsAUsageError() {
        Cli.Run r = Cli.run("apply", "examples/el7.yaml");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--root=DIR'");
    }
}

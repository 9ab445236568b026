package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.readonly.DiskLayout;
import io.rocluster.spec.SpecLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code render disk-layout} through the real command line: what it prints, and its refusals. */
class RenderDiskLayoutCommandTest {

    private static final String SPEC = "examples/debian12-diskful.yaml";

    @Test
    void printsTheAdminScriptOfTheSpecsLayoutWithTheSizesGiven() {
        Cli.Run r = Cli.run("render", "disk-layout", "--spec", SPEC, "--size-rw", "2G", "--size-state", "20GiB");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(DiskLayout.of(SpecLoader.load(Path.of(SPEC)), 2L << 30, 20L << 30).adminScript());
        assertThat(r.out()).contains("start=1MiB, size=2048MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"stateless-rw\"\n",
                "start=2049MiB, size=20480MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"stateless-state\"\n",
                "mke2fs -t ext4 -L stateless-rw \"$(part 1)\"\n", "mke2fs -t ext4 -L stateless-state \"$(part 2)\"\n");
    }

    @Test
    void byDefaultTheRwAreaIsOneGibAndTheStateTakesTheRestOfTheDisk() {
        Cli.Run r = Cli.run("render", "disk-layout", "--spec", "examples/el7-diskful.yaml");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("start=1MiB, size=1024MiB,", "start=1025MiB, type=", "1025MiB 100%");
    }

    @Test
    void mistakesAreOneLine() {
        Cli.Run diskless = Cli.run("render", "disk-layout", "--spec", "examples/debian12.yaml");
        assertThat(diskless.code()).isEqualTo(1);
        assertThat(diskless.err().strip()).doesNotContain("\n").startsWith("rocluster: image compute-debian12 is diskless");

        Cli.Run noSpec = Cli.run("render", "disk-layout");
        assertThat(noSpec.code()).isEqualTo(2);
        assertThat(noSpec.err()).contains("render disk-layout needs --spec SPEC");

        Cli.Run badSize = Cli.run("render", "disk-layout", "--spec", SPEC, "--size-rw", "1000");
        assertThat(badSize.code()).isEqualTo(2);
        assertThat(badSize.err()).contains("'1000' is not a size: write a number and a unit, e.g. 512M or 2G");

        Cli.Run small = Cli.run("render", "disk-layout", "--spec", SPEC, "--size-state", "8M");
        assertThat(small.code()).isEqualTo(1);
        assertThat(small.err()).contains("the state partition must be a whole number of MiB, at least 16 MiB");

        Cli.Run stray = Cli.run("render", "dnsmasq", "--spec", SPEC);
        assertThat(stray.code()).isEqualTo(2);
        assertThat(stray.err()).contains("--spec belongs to render disk-layout and render systemd, not render dnsmasq");
        Cli.Run straySize = Cli.run("render", "systemd", "--size-rw", "1G");
        assertThat(straySize.code()).isEqualTo(2);
        assertThat(straySize.err()).contains("--size-rw and --size-state belong to render disk-layout, not render systemd");
    }
}

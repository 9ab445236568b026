package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.spec.Examples;
import io.rocluster.spec.ImageSpec.Mode;
import io.rocluster.spec.ImageSpec.Profile;
import io.rocluster.spec.SpecLoader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `rocluster init` and `rocluster validate` through the real command line: output, errors, exit codes. */
class SpecCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void initPrintsTheEl7DisklessReferenceByDefault() {
        assertThat(run("init")).isZero();

        assertThat(out.toString()).isEqualTo(Examples.text(Profile.EL7, Mode.DISKLESS));
    }

    @Test
    void initProfileAndModeOptionsPickTheExample() {
        assertThat(run("init", "--profile", "debian12", "--diskful")).isZero();

        assertThat(out.toString()).isEqualTo(Examples.text(Profile.DEBIAN12, Mode.DISKFUL));
    }

    @Test
    void initOutputSavedToAFileValidates() throws Exception {
        for (String profile : new String[] {"el7", "debian12"}) {
            for (String mode : new String[] {"--diskless", "--diskful"}) {
                out.getBuffer().setLength(0);
                assertThat(run("init", "--profile", profile, mode)).isZero();
                Path spec = dir.resolve(profile + mode + ".yaml");
                Files.writeString(spec, out.toString());

                out.getBuffer().setLength(0);
                assertThat(run("validate", spec.toString())).as(profile + " " + mode).isZero();
                assertThat(SpecLoader.parse(out.toString(), "validate output")).isEqualTo(SpecLoader.load(spec));
            }
        }
    }

    @Test
    void initRefusesBothModesAndUnknownProfilesAsUsageErrors() {
        assertThat(run("init", "--diskless", "--diskful")).isEqualTo(2);
        assertThat(run("init", "--profile", "centos7")).isEqualTo(2);
        assertThat(err.toString()).contains("--profile", "'centos7' is not one of el7, debian12");
    }

    @Test
    void validatePrintsTheEffectiveSpec() throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "name: c\nprofile: el7\nnfs: {server: 10.0.2.2}\nrwtab: {files: ['!/etc/localtime']}\n");

        assertThat(run("validate", spec.toString())).isZero();

        assertThat(out.toString())
                .startsWith("# Effective spec of " + spec + ": defaults filled in.\nname: c\n")
                .contains("masterRoot: /data/cluster", "- systemd-readahead-collect.service", "- '!/etc/localtime'");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void validatePrintsEachErrorOnItsOwnLineAndExitsOne() throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "name: c\nprofile: centos7\nnfs: {version: 5, server: 10.0.2.2}\n");

        assertThat(run("validate", spec.toString())).isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                "rocluster: " + spec + ": 2 errors in the spec; fix them and run `rocluster validate " + spec + "` again:",
                "  profile: 'centos7' is not one of el7, debian12 (line 2, column 10)",
                "  nfs.version: 5 is not one of 3, 4 (line 3, column 16)");
    }

    @Test
    void validateOfAMissingFileIsOneLine() {
        assertThat(run("validate", dir.resolve("none.yaml").toString())).isEqualTo(1);

        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("rocluster: spec file ").endsWith("not found; write one with `rocluster init > " + dir.resolve("none.yaml") + "`");
    }

    /** Runs a verb with {@code stdin} as its standard input. */
    private int runWithStdin(String stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void validateDashReadsWhatInitPrintsFromStandardInput() {
        assertThat(run("init", "--profile", "debian12")).isZero();
        String example = out.toString();
        out.getBuffer().setLength(0);

        assertThat(runWithStdin(example, "validate", "-")).isZero();

        assertThat(out.toString()).startsWith("# Effective spec of <stdin>: defaults filled in.\nname: ");
        assertThat(SpecLoader.parse(out.toString(), "validate output"))
                .isEqualTo(SpecLoader.parse(example, "init output"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void validateDashNamesStandardInputInItsErrors() {
        assertThat(runWithStdin("name: c\nprofile: centos7\nnfs: {server: 10.0.2.2}\n", "validate", "-")).isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                "rocluster: <stdin>: 1 error in the spec; fix it and run `rocluster validate -` again:",
                "  profile: 'centos7' is not one of el7, debian12 (line 2, column 10)");
    }

    @Test
    void validateDashRefusesBinaryInputInOneLine() {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}));
        try {
            assertThat(run("validate", "-")).isEqualTo(1);
        } finally {
            System.setIn(saved);
        }
        assertThat(err.toString().lines()).containsExactly(
                "rocluster: the spec on <stdin> is not UTF-8 text; save it as UTF-8");
    }
}

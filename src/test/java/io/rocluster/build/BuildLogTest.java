package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildLogTest {

    @TempDir
    Path tmp;

    @Test
    void aptsErrorLinesExplainAFailedStageAndTheFullOutputIsKept() throws IOException {
        try (BuildLog log = new BuildLog(tmp.resolve("build.log"))) {
            log.section("bootstrap");
            log.line("E: an old error of another stage");
            log.section("packages");
            log.line("Reading package lists...");
            log.line("Building dependency tree...");
            log.line("E: Unable to locate package no-such-package");

            assertThat(log.failingLines()).containsExactly("E: Unable to locate package no-such-package");
        }
        assertThat(Files.readAllLines(tmp.resolve("build.log")))
                .contains("==> packages", "Reading package lists...", "E: an old error of another stage");
    }

    @Test
    void aLineAfterCloseChangesNothingOnDiskAndDoesNotFail() throws IOException {
        // A build that fails after the log was closed for its checksum (the artefact's commit) still notes why.
        BuildLog log = new BuildLog(tmp.resolve("build.log"));
        log.section("collect");
        log.line("done");
        log.close();
        byte[] closed = Files.readAllBytes(tmp.resolve("build.log"));

        log.line("build failed: the version appeared while building");

        assertThat(Files.readAllBytes(tmp.resolve("build.log"))).isEqualTo(closed);
        assertThat(log.failingLines()).endsWith("build failed: the version appeared while building");
    }

    @Test
    void withoutRecognisableErrorsTheLastLinesAreShown() throws IOException {
        try (BuildLog log = new BuildLog(tmp.resolve("build.log"))) {
            log.section("initramfs");
            for (int i = 0; i < 40; i++) {
                log.line("line " + i);
            }

            assertThat(log.failingLines()).hasSize(15).endsWith("line 39").startsWith("line 25");
        }
    }

    @Test
    void dracutFailuresAreRecognised() throws IOException {
        try (BuildLog log = new BuildLog(tmp.resolve("build.log"))) {
            log.section("initramfs");
            log.line("dracut: *** Including module: nfs ***");
            log.line("dracut: Module 'network-legacy' cannot be installed.");
            log.line("done");

            assertThat(log.failingLines()).containsExactly("dracut: Module 'network-legacy' cannot be installed.");
        }
    }
}

package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The static trees the readonly stage copies into images (stages/common/files for every profile,
 * stages/debian12/files): units enabled by a link that resolves inside the image, executables that are
 * executable and pass shellcheck, and nothing in the common tree that would touch EL7's own readonly-root.
 */
class ImageFilesTest {

    private static final Path COMMON = Path.of("stages/common/files");
    private static final Path DEBIAN = Path.of("stages/debian12/files");
    private static final List<Path> SCRIPTS = List.of(COMMON.resolve("usr/libexec/rocluster/bootcheck"),
            DEBIAN.resolve("usr/libexec/rocluster/readonly-root"));

    @Test
    void everyEnablementLinkPointsAtAUnitOfTheSameTree() throws IOException {
        List<String> links = new ArrayList<>();
        for (Path tree : List.of(COMMON, DEBIAN)) {
            try (Stream<Path> s = Files.walk(tree.resolve("etc/systemd/system"))) {
                for (Path link : s.filter(Files::isSymbolicLink).toList()) {
                    Path target = Files.readSymbolicLink(link);
                    assertThat(target).as(link.toString()).isAbsolute();
                    assertThat(tree.resolve(target.toString().substring(1))).as(link + " -> " + target).isRegularFile();
                    assertThat(target.getFileName()).isEqualTo(link.getFileName());
                    links.add(tree.relativize(link).toString());
                }
            }
        }
        assertThat(links).containsExactlyInAnyOrder(
                "etc/systemd/system/multi-user.target.wants/rocluster-bootcheck.service",
                "etc/systemd/system/local-fs.target.wants/rocluster-readonly.service");
    }

    @Test
    void theBootCheckIsInertUnlessTheBootTestAsksForIt() throws IOException {
        String unit = Files.readString(COMMON.resolve("usr/lib/systemd/system/rocluster-bootcheck.service"));
        assertThat(unit).contains("ConditionKernelCommandLine=rocluster.boottest\n",
                "ExecStart=/usr/libexec/rocluster/bootcheck\n", "After=sysinit.target multi-user.target\n",
                "WantedBy=multi-user.target\n");
    }

    @Test
    void theCommonTreeLeavesReadonlyRootToEachProfile() throws IOException {
        try (Stream<Path> s = Files.walk(COMMON)) {
            assertThat(s.map(p -> COMMON.relativize(p).toString()))
                    .noneMatch(p -> p.contains("readonly") || p.startsWith("etc/sysconfig") || p.contains("rwtab")
                            || p.contains("statetab"));
        }
    }

    @Test
    void scriptsAreExecutableAndPassShellcheck() throws Exception {
        for (Path script : SCRIPTS) {
            assertThat(Files.isExecutable(script)).as(script.toString()).isTrue();
            assertThat(Files.readString(script)).startsWith("#!/bin/bash\n");
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck not installed");
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "--shell=bash"));
        SCRIPTS.forEach(p -> cmd.add(p.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }
}

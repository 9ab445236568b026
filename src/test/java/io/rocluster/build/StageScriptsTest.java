package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage scripts of every profile, and the builder's import script, pass shellcheck. */
class StageScriptsTest {

    private static final SourceTree SOURCES = SourceTree.locate();

    @Test
    void everyProfileHasTheFiveStages() throws IOException {
        for (String profile : List.of("el7", "debian12")) {
            try (Stream<Path> s = Files.list(SOURCES.stages().resolve(profile))) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d-.*\\.sh")))
                        .as(profile).containsExactlyInAnyOrder("10-bootstrap.sh", "20-packages.sh", "30-initramfs.sh",
                                "40-readonly.sh", "50-collect.sh");
            }
        }
    }

    @Test
    void scriptsPassShellcheck() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck not installed");
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-x"));
        try (Stream<Path> s = Stream.concat(Files.list(SOURCES.stages()), Stream.concat(
                Files.list(SOURCES.stages().resolve("el7")), Files.list(SOURCES.stages().resolve("debian12"))))) {
            s.filter(p -> p.toString().endsWith(".sh")).sorted().forEach(p -> cmd.add(p.toString()));
        }
        cmd.add(SOURCES.containers().resolve("debian12/import-base.sh").toString());
        assertThat(cmd).hasSizeGreaterThan(12);

        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void setuidPolicyReplacesFileCapabilitiesAndListsTheFiles(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/setcap")) || Files.isExecutable(Path.of("/sbin/setcap")),
                "setcap not installed (libcap2-bin)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "setcap needs root");
        Path root = Files.createDirectories(tmp.resolve("root/usr/bin"));
        Files.writeString(root.resolve("pinger"), "#!/bin/sh\n");
        Files.writeString(root.resolve("plain"), "#!/bin/sh\n");
        assertThat(run(tmp, "setcap cap_net_raw+ep \"$ROOT/usr/bin/pinger\"", "keep")).isZero();

        assertThat(run(tmp, ". \"$LIB\"; convert_capabilities", "setuid")).isZero();

        assertThat(Files.readString(tmp.resolve("out/capability-changes"))).isEqualTo("/usr/bin/pinger\n");
        assertThat(Files.getAttribute(root.resolve("pinger"), "unix:mode")).isEqualTo(0104644);
        assertThat(Files.getAttribute(root.resolve("plain"), "unix:mode")).isEqualTo(0100644);
        Process getcap = new ProcessBuilder("getcap", root.resolve("pinger").toString()).start();
        assertThat(new String(getcap.getInputStream().readAllBytes())).isEmpty();
    }

    @Test
    void keepPolicyLeavesCapabilitiesAlone(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "setcap needs root");
        Path root = Files.createDirectories(tmp.resolve("root/usr/bin"));
        Files.writeString(root.resolve("pinger"), "#!/bin/sh\n");
        assertThat(run(tmp, "setcap cap_net_raw+ep \"$ROOT/usr/bin/pinger\"", "keep")).isZero();

        assertThat(run(tmp, ". \"$LIB\"; convert_capabilities", "keep")).isZero();

        assertThat(Files.readString(tmp.resolve("out/capability-changes"))).isEmpty();
        assertThat(Files.getAttribute(root.resolve("pinger"), "unix:mode")).isEqualTo(0100644);
    }

    private static int run(Path tmp, String script, String policy) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-eu", "-c", script).redirectErrorStream(true);
        pb.environment().put("ROOT", tmp.resolve("root").toString());
        pb.environment().put("OUT", tmp.resolve("out").toString());
        pb.environment().put("LIB", SOURCES.stages().resolve("readonly-plan.sh").toString());
        pb.environment().put("ROCLUSTER_FILE_CAPABILITIES", policy);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        if (code != 0) {
            System.out.println(out);
        }
        return code;
    }

    @Test
    void el7BuilderTakesTheVaultFromABuildArgument() throws IOException {
        String containerfile = Files.readString(SOURCES.containers().resolve("el7/Containerfile"));

        assertThat(containerfile).contains("FROM centos:7", "ARG ROCLUSTER_EL7_MIRROR", "$ROCLUSTER_EL7_MIRROR");
        // The only place a vault URL may appear is the comment documenting what to pass.
        assertThat(containerfile.lines().filter(l -> !l.startsWith("#")).filter(l -> l.contains("centos.org")))
                .isEmpty();
    }
}

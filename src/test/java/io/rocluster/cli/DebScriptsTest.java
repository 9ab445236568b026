package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Debian package's launcher and maintainer scripts (src/deb/): shellcheck, and what the launcher runs. */
class DebScriptsTest {

    private static final Path DEB = Path.of("src/deb");

    @Test
    void scriptsPassShellcheck() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck not installed");
        Process p = new ProcessBuilder("shellcheck", "--shell=sh", DEB.resolve("rocluster").toString(),
                DEB.resolve("control/postinst").toString(), DEB.resolve("control/postrm").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void launcherRunsThePackagedJarOnJavaHomesJavaWithTheJvmFlagsAndTheArguments(@TempDir Path tmp) throws Exception {
        // A stand-in JDK whose java prints what it was given.
        Path bin = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.writeString(tmp.resolve("jdk/release"), "JAVA_VERSION=\"17.0.15\"\n");
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder pb = new ProcessBuilder("sh", DEB.resolve("rocluster").toString(), "validate", "-")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
        pb.environment().put("ROCLUSTER_JAVA_OPTS", "-Xmx1g");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.lines().toList()).startsWith("-XX:+UseSerialGC", "-Xshare:auto")
                .endsWith("-Xmx1g", "-jar", "/usr/share/rocluster/rocluster.jar", "validate", "-");
    }
}

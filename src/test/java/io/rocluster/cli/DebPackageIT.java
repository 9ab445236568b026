package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debian package that {@code mvn package} writes, installed as an admin installs it: {@code apt-get install
 * ./rocluster_VERSION_all.deb} in a Debian 12 container (Docker, the local {@code debian:12} image, whose apt
 * sources are the host's mirror), then used: {@code rocluster --version}, {@code rocluster init | rocluster
 * validate -}, {@code man -w rocluster-deploy}, and bash completing {@code rocluster pro} to {@code promote}.
 *
 * <p>Installing a Java runtime and the recommended boot loaders takes a minute or more, so the packages the
 * .deb pulls in are kept as an image layer, {@code rocluster-debtest:<key>}: made by installing the .deb into
 * plain {@code debian:12} (so a fresh machine takes exactly the path an admin does) and removing rocluster
 * again. The key covers the base image and the package's Depends and Recommends: when they change, the layer is
 * made anew and the old one removed. Each run installs the .deb fresh on top.
 */
class DebPackageIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final String LAYER_REPO = "rocluster-debtest";
    private static final String LAYER_LABEL = "io.rocluster.test=deb-dependencies";

    private static Path deb;
    private static String container;

    /** A finished command. */
    record Run(int code, String out) {}

    @BeforeAll
    static void installTheDebInAFreshContainer() throws Exception {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("rocluster_.*_all\\.deb")).toList();
            assertThat(debs).as("mvn package writes target/rocluster_VERSION_all.deb").hasSize(1);
            deb = debs.get(0);
        }
        String layer = dependencyLayer();
        container = sh("docker run -d --rm -v " + TARGET + ":/deb:ro " + layer + " sleep infinity").strip();
        Run install = exec("DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Use-Pty=0 install -y /deb/" + deb.getFileName() + " 2>&1");
        System.out.println("DebPackageIT: apt-get install /deb/" + deb.getFileName() + "\n" + install.out());
        assertThat(install.code()).as(install.out()).isZero();
        assertThat(install.out()).contains("Setting up rocluster (");
    }

    @AfterAll
    static void removeContainer() throws Exception {
        if (container != null) {
            sh("docker rm -f " + container + " >/dev/null");
        }
    }

    @Test
    void theInstalledLauncherRunsOnDebiansJavaWithItsClassArchive() throws Exception {
        Run version = exec("rocluster --version");
        assertThat(version.code()).as(version.out()).isZero();
        assertThat(version.out()).startsWith("rocluster ");
        assertThat(exec("command -v rocluster").out().strip()).isEqualTo("/usr/bin/rocluster");
        assertThat(exec("test -f /usr/share/rocluster/rocluster.jar").code()).isZero();

        // postinst wrote the AppCDS archive; -Xshare:on makes the JVM refuse to start if it cannot map it.
        assertThat(exec("test -s /var/cache/rocluster/rocluster.jsa").code()).as("AppCDS archive").isZero();
        Run shared = exec("ROCLUSTER_JAVA_OPTS='-Xshare:on -Xlog:cds=info' rocluster --version 2>&1");
        assertThat(shared.code()).as(shared.out()).isZero();
        assertThat(shared.out()).contains("/var/cache/rocluster/rocluster.jsa");
    }

    @Test
    void validateDashReadsTheSpecThatInitPrints() throws Exception {
        Run run = exec("rocluster init --profile debian12 | rocluster validate -");
        assertThat(run.code()).as(run.out()).isZero();
        assertThat(run.out()).startsWith("# Effective spec of <stdin>: defaults filled in.\nname: ");

        Run bad = exec("printf 'name: x\\nprofile: centos7\\n' | rocluster validate - 2>&1");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).startsWith("rocluster: <stdin>: ");
    }

    @Test
    void everyVerbHasAManPageThatManFinds() throws Exception {
        Run where = exec("man -w rocluster-deploy");
        assertThat(where.code()).as(where.out()).isZero();
        assertThat(where.out().strip()).isEqualTo("/usr/share/man/man1/rocluster-deploy.1.gz");

        List<String> expected = PackageDocs.manPagesAsciiDoc().keySet().stream().map(p -> p + ".1.gz").sorted().toList();
        List<String> installed = exec("ls /usr/share/man/man1 | grep '^rocluster'").out().lines().sorted().toList();
        assertThat(installed).isEqualTo(expected).contains("rocluster.1.gz", "rocluster-master-init.1.gz");

        Run page = exec("MANWIDTH=80 man -P cat rocluster-deploy 2>/dev/null");
        assertThat(page.out()).contains("rocluster-deploy - Check an artefact", "EXIT STATUS", "Usage: an unknown verb");
    }

    @Test
    void theNightlyJobsUnitsAreInstalledAndPassSystemdsVerifier() throws Exception {
        Run units = exec("ls /usr/lib/systemd/system | grep '^rocluster'");
        assertThat(units.out().lines().toList()).containsExactly("rocluster-nightly.service", "rocluster-nightly.timer");
        assertThat(exec("cat /usr/lib/systemd/system/rocluster-nightly.service").out())
                .contains("ExecStart=/usr/bin/rocluster nightly /etc/rocluster/nightly.yaml --master /data/cluster")
                .contains("WorkingDirectory=/var/lib/rocluster");
        assertThat(exec("test -d /var/lib/rocluster && test -d /etc/rocluster").code()).isZero();
        // The installed text is the renderer's, whose units NightlyUnitsTest runs through systemd-analyze verify.
        Path dir = Files.createTempDirectory("deb-units");
        PackageDocs.packagedUnits().writeTo(dir);
        assertThat(Files.readString(dir.resolve("rocluster-nightly.service")))
                .isEqualTo(exec("cat /usr/lib/systemd/system/rocluster-nightly.service").out());
    }

    @Test
    void bashCompletesProToPromote() throws Exception {
        // What bash does on Tab: the function `complete -p rocluster` names, called with the words typed so far.
        String script = "source /usr/share/bash-completion/completions/rocluster\n"
                + "f=$(complete -p rocluster | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')\n"
                + "COMP_WORDS=(rocluster pro); COMP_CWORD=1; COMP_LINE='rocluster pro'; COMP_POINT=${#COMP_LINE}\n"
                + "\"$f\" rocluster pro rocluster 2>/dev/null\n"
                + "echo \"$f: ${COMPREPLY[*]}\"\n";
        Run run = exec("bash -c " + quote(script));
        assertThat(run.code()).as(run.out()).isZero();
        assertThat(run.out().strip()).isEqualTo("_complete_rocluster: promote");
    }

    @Test
    void everyPackageTheControlFileNamesExistsInDebian12() throws Exception {
        String fields = sh("dpkg-deb -f " + deb + " Depends Recommends Suggests");
        List<List<String>> relations = new ArrayList<>();
        for (String line : fields.lines().toList()) {
            String value = line.substring(line.indexOf(':') + 1);
            for (String relation : value.split(",")) {
                relations.add(Arrays.stream(relation.split("\\|"))
                        .map(alt -> alt.strip().replaceAll("\\s*\\(.*\\)", "")).toList());
            }
        }
        assertThat(relations).hasSizeGreaterThan(5);
        // One apt-cache run for all names: "NAME:" then "  Candidate: VERSION", or "(none)", or nothing at all.
        String policy = exec("apt-cache policy " + String.join(" ", relations.stream().flatMap(List::stream).toList())).out();
        List<String> known = new ArrayList<>();
        String name = null;
        for (String line : policy.lines().toList()) {
            if (line.matches("\\S+:")) {
                name = line.substring(0, line.length() - 1);
            } else if (name != null && line.strip().startsWith("Candidate:") && !line.contains("(none)")) {
                known.add(name);
            }
        }
        for (List<String> alternatives : relations) {
            assertThat(alternatives).as("some alternative is a Debian 12 package").containsAnyElementsOf(known);
        }
    }

    /**
     * The image to install the .deb into: debian:12 plus whatever the package's dependencies brought, and man-db
     * (for {@code man -w}); made on first use by a real install from the mirror.
     */
    private static String dependencyLayer() throws Exception {
        String base = sh("docker image inspect -f '{{.Id}}' debian:12").strip();
        String control = sh("dpkg-deb -f " + deb + " Depends Recommends");
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((base + "\n" + control + "\nman-db\n").getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        String layer = LAYER_REPO + ":" + key;
        if (sh("docker images -q " + layer).isBlank()) {
            String prep = "rocluster-debtest-prep-" + ProcessHandle.current().pid();
            try {
                Run made = run("docker run --name " + prep + " -v " + TARGET + ":/deb:ro debian:12 sh -euc "
                        + quote("export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; "
                                + "apt-get -o Dpkg::Use-Pty=0 install -y /deb/" + deb.getFileName() + " man-db; "
                                + "apt-get remove -y rocluster") + " 2>&1");
                System.out.println("DebPackageIT: made the dependency layer " + layer + "\n" + made.out());
                assertThat(made.code()).as(made.out()).isZero();
                sh("docker commit --change 'LABEL " + LAYER_LABEL + "' " + prep + " " + layer + " >/dev/null");
            } finally {
                run("docker rm -f " + prep + " >/dev/null 2>&1");
            }
            // Layers for older dependency lists: only this test makes images in this repository.
            for (String old : sh("docker images --filter label=" + LAYER_LABEL + " --format '{{.Repository}}:{{.Tag}}'")
                    .lines().filter(t -> t.startsWith(LAYER_REPO + ":") && !t.equals(layer)).toList()) {
                run("docker rmi " + old + " >/dev/null 2>&1");
            }
        }
        return layer;
    }

    private static Run exec(String command) throws Exception {
        return run("docker exec " + container + " sh -c " + quote(command));
    }

    private static String sh(String command) throws Exception {
        Run r = run(command);
        if (r.code() != 0) {
            throw new AssertionError("failed (" + r.code() + "): " + command + "\n" + r.out());
        }
        return r.out();
    }

    private static Run run(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in 15 minutes: " + command);
        }
        return new Run(p.exitValue(), out);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}

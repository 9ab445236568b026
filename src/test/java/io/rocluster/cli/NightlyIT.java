package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.archive.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code rocluster nightly} as the nightly timer runs it, on a master of its own, with real Docker, NFS-Ganesha
 * and QEMU: a first night builds the debian12 example (from the stage cache the other ITs filled: the nightly's
 * own fresh-root default is BuildIT's cold build), deploys, boot-tests, promotes and collects; a second night
 * with nothing changed makes nothing and exits 0; a third night whose image changed but does not boot in time
 * exits 1 and leaves the clients on the first night's version.
 *
 * <p>Work goes to {@code target/nightly-it/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NightlyIT {

    private static final Path WORK = Path.of("target/nightly-it").toAbsolutePath();
    private static final Path OUT = WORK.resolve("out");
    private static final Path MASTER = WORK.resolve("master");
    private static final Path EXAMPLE = Path.of("examples/debian12.yaml").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String first;

    @BeforeAll
    static void master() throws IOException {
        FileTrees.delete(WORK);
        Files.createDirectories(WORK);
        Cli.Run init = Cli.run("master", "init", "--master", MASTER.toString(), "--server", "10.0.2.2",
                "--clients", "10.0.2.0/24");
        assertThat(init.code()).as(init.err()).isZero();
    }

    @Test
    @Order(1)
    void aFirstNightBuildsDeploysBootTestsPromotesAndCollects() throws IOException {
        Cli.Run night = Cli.run("nightly", EXAMPLE.toString(), "--master", MASTER.toString(), "--output",
                OUT.toString(), "--use-cache", "--keep", "2");
        System.out.println("NightlyIT first night:\n" + night.out());
        assertThat(night.code()).as(night.out() + night.err()).isZero();
        List<String> lines = night.out().lines().toList();
        // Each step's outcome, in order, in the words of its own verb.
        assertThat(lines).anyMatch(l -> l.startsWith("build: "))
                .anyMatch(l -> l.startsWith("deploy: "))
                .anyMatch(l -> l.startsWith("boot-test: ") && l.contains("PASSED"))
                .anyMatch(l -> l.startsWith("promote: "))
                .anyMatch(l -> l.startsWith("gc: "));
        assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(':'))).distinct().toList())
                .containsSubsequence("build", "deploy", "boot-test", "promote", "gc", "nightly");
        first = active();
        assertThat(first).matches("\\d{4}\\.\\d{2}\\.\\d{2}\\.\\d+");
        assertThat(lines).contains("nightly: " + first + " promoted: clients boot it at their next boot");
        assertThat(MASTER.resolve("images").resolve(first).resolve("boot-test.json")).isRegularFile();
    }

    @Test
    @Order(2)
    void anUnchangedNightMakesNothingAndExitsZero() throws IOException {
        int before = artefacts();
        Instant t0 = Instant.now();
        Cli.Run night = Cli.run("nightly", EXAMPLE.toString(), "--master", MASTER.toString(), "--output",
                OUT.toString(), "--use-cache", "--json");
        System.out.println("NightlyIT unchanged night: " + Duration.between(t0, Instant.now()).toSeconds() + " s\n"
                + night.out());
        assertThat(night.code()).as(night.out() + night.err()).isZero();
        JsonNode j = JSON.readTree(night.out());
        assertThat(j.path("ok").asBoolean()).isTrue();
        assertThat(j.path("unchanged").asBoolean()).isTrue();
        assertThat(j.path("sameAs").asText()).isEqualTo(first);
        assertThat(j.path("active").asText()).isEqualTo(first);
        assertThat(j.has("bootTest")).as("no boot test on a night with nothing new").isFalse();
        assertThat(artefacts()).isEqualTo(before);
        assertThat(active()).isEqualTo(first);
    }

    @Test
    @Order(3)
    void aNightWhoseImageFailsItsBootTestExitsOneAndClientsStayOnTheActiveVersion() throws IOException {
        // The same image with one more rwtab path: a change (so a new version), and cheap to build.
        Path spec = WORK.resolve("debian12-changed.yaml");
        String yaml = Files.readString(EXAMPLE);
        assertThat(yaml).contains("rwtab:\n  dirs: []\n");
        Files.writeString(spec, yaml.replace("rwtab:\n  dirs: []\n", "rwtab:\n  dirs: [/var/lib/nightly-it]\n"));
        Cli.Run check = Cli.run("validate", spec.toString());
        assertThat(check.code()).as("the changed spec is valid: " + check.out() + check.err()).isZero();

        Cli.Run night = Cli.run("nightly", spec.toString(), "--master", MASTER.toString(), "--output",
                OUT.toString(), "--use-cache", "--boot-timeout", "5");
        System.out.println("NightlyIT failing night:\n" + night.out() + night.err());
        assertThat(night.code()).isEqualTo(1);
        assertThat(night.out()).contains("build: ");
        assertThat(night.err()).contains("not promoted; clients stay on " + first);
        assertThat(active()).isEqualTo(first);
    }

    /** The version the clients without a group boot, as {@code status --json} tells it. */
    private static String active() throws IOException {
        Cli.Run s = Cli.run("status", "--master", MASTER.toString(), "--json");
        assertThat(s.code()).as(s.err()).isZero();
        for (JsonNode g : JSON.readTree(s.out()).path("groups")) {
            if (g.path("name").asText().equals("default")) {
                return g.path("active").asText();
            }
        }
        throw new AssertionError("status --json lists no default group: " + s.out());
    }

    private static int artefacts() throws IOException {
        try (Stream<Path> dirs = Files.list(OUT.resolve("compute-debian12"))) {
            return (int) dirs.filter(Files::isDirectory).count();
        }
    }
}

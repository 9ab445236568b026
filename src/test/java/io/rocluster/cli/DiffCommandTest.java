package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestDiff;
import io.rocluster.artefact.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rocluster diff} on artefact directories and deployed versions, through the real command line. */
class DiffCommandTest {

    @TempDir
    Path tmp;

    private Manifest[] pair() throws Exception {
        return TestManifests.nightlyPair(tmp);
    }

    private static Path write(Path dir, Manifest m) throws Exception {
        return TestManifests.write(dir, m);
    }

    @Test
    void artefactDirectoriesShowKernelPackagesSpecAndFileCounts() throws Exception {
        Manifest[] m = pair();
        Path a = write(tmp.resolve("out/compute/2026.11.25.9"), m[0]);
        Path b = write(tmp.resolve("out/compute/2026.11.25.10"), m[1]);

        Cli.Run r = Cli.run("diff", a.toString(), b.toString());

        assertThat(r.code()).as(r.err()).isZero();
        // What the diff holds is ManifestDiffTest's; here: diff prints its report, line for line.
        assertThat(r.out()).isEqualTo(String.join("\n", ManifestDiff.of(m[0], m[1]).report(false)) + "\n");
        assertThat(r.out()).contains("packages: 1 added, 1 removed, 1 changed", "(--files lists them)");
        assertThat(r.out()).doesNotContain("bash", "/usr/bin/same");

        Cli.Run files = Cli.run("diff", "--files", a.toString(), b.toString());
        assertThat(files.out()).contains(
                "  + /etc/new.conf  (7 bytes)",
                "  - /etc/old.conf  (5 bytes)",
                "  M /etc/motd  (5 → 7 bytes)",
                "  M /etc/localtime  (→ /usr/share/zoneinfo/UTC became → /usr/share/zoneinfo/CET)",
                "  m /usr/bin/ping  (mode 0755 → 4755)");
        assertThat(files.out()).doesNotContain("/usr/bin/same", "/usr/bin/touched");
    }

    @Test
    void deployedVersionsAreNamedByVersionAndJsonListsEveryChange() throws Exception {
        Manifest[] m = pair();
        Path master = tmp.resolve("master");
        write(master.resolve("images/2026.11.25.9"), m[0]);
        write(master.resolve("images/2026.11.25.10"), m[1]);

        Cli.Run r = Cli.run("diff", "--json", "--master", master.toString(), "2026.11.25.9", "2026.11.25.10");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("kernel").get("to").asText()).isEqualTo("6.1.0-50-amd64");
        assertThat(j.get("packages")).hasSize(3);
        assertThat(j.get("files")).hasSize(5);
        assertThat(j.get("files").get(0).get("path").asText()).isEqualTo("etc/localtime");
        assertThat(j.get("mtimeOnly").asLong()).isEqualTo(1);
        assertThat(j.get("sameRootfs").asBoolean()).isFalse();
    }

    @Test
    void aVersionAgainstItselfHasNoDifferences() throws Exception {
        Manifest[] m = pair();
        Path a = write(tmp.resolve("a"), m[0]);
        Cli.Run r = Cli.run("diff", a.toString(), a.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no differences (same rootfs tar digest)");
    }

    @Test
    void somethingThatIsNeitherAnArtefactNorAVersionIsOneClearError() throws Exception {
        Manifest[] m = pair();
        Path a = write(tmp.resolve("a"), m[0]);
        Path master = tmp.resolve("master");
        Files.createDirectories(master.resolve("images"));

        Cli.Run r = Cli.run("diff", "--master", master.toString(), a.toString(), "2026.11.26.1");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).doesNotContain("\n")
                .contains("'2026.11.26.1' is neither an artefact directory", "rocluster list");
        assertThat(Cli.run("diff", a.toString(), tmp.resolve("nowhere").toString()).code()).isEqualTo(1);
    }
}

package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.archive.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A canary rollout with real parts: two real debian12 artefacts deployed on one master, a canary client
 * and a default client registered with their MACs, the newer version promoted to the canary group only.
 * Each client is then booted in QEMU as itself (its MAC and host name; iPXE ROM, pxelinux, the config
 * the master serves that MAC; NFS root from NFS-Ganesha), and each mounts its own group's version: the
 * canary passes its boot test of the new version, the default client boots the old one and so fails a
 * boot test of the new one, saying why. Then the canary group is rolled back on its own. Port 2049 is held
 * on the host meanwhile, as a master's own NFS server holds it.
 */
class NodeGroupsIT {

    private static final Path WORK = RealArtefacts.WORK;
    private static final Path DIR = RealArtefacts.DIR.resolve("groups");
    private static final String CANARY = "node07.groups-it.test";
    private static final String OTHER = "node01.groups-it.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachClientBootsItsGroupsVersionAndTheCanaryRollsBackAlone() throws Exception {
        String a = RealArtefacts.A;
        String b = RealArtefacts.B;
        Path artefactA = RealArtefacts.get(a);
        Path artefactB = RealArtefacts.get(b);
        FileTrees.delete(DIR);
        Files.createDirectories(DIR);
        String m = DIR.resolve("master").toString();
        cli("master", "init", "--master", m, "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
        cli("deploy", "--master", m, artefactA.toString());
        cli("deploy", "--master", m, artefactB.toString());
        cli("clients", "add", "--master", m, OTHER, "--mac", "52:54:00:00:01:01");
        cli("clients", "add", "--master", m, CANARY, "--mac", "52:54:00:00:01:07", "--group", "canary");
        cli("promote", "--master", m, a);
        cli("promote", "--master", m, b, "--group", "canary", "--reason", "canary first");

        String statusJson = cli("status", "--master", m, "--json").out();
        System.out.println("NodeGroupsIT status --json after the canary promote:\n" + statusJson);
        JsonNode status = JSON.readTree(statusJson);
        assertThat(status.path("groups").get(0).path("name").asText()).isEqualTo("default");
        assertThat(status.path("groups").get(0).path("active").asText()).isEqualTo(a);
        assertThat(status.path("groups").get(1).path("name").asText()).isEqualTo("canary");
        assertThat(status.path("groups").get(1).path("active").asText()).isEqualTo(b);
        assertThat(status.path("groups").get(1).path("rollbackTarget").asText()).isEqualTo(a);
        assertThat(status.path("groups").get(1).path("clients").get(0).asText()).isEqualTo(CANARY);

        // The master's own NFS server holds 2049 on a real master: the boot tests must run beside it (in a
        // network namespace of their own). Held here unless something already holds it.
        java.net.ServerSocket nfsd = null;
        try {
            nfsd = new java.net.ServerSocket(2049, 1, java.net.InetAddress.getLoopbackAddress());
        } catch (java.io.IOException alreadyHeld) {
            System.out.println("NodeGroupsIT: 127.0.0.1:2049 is held by another process already");
        }
        CliProcess.Run canary;
        CliProcess.Run other;
        try {
            canary = CliProcess.run(WORK, "boot-test", "--master", m, b, "--client", CANARY);
            other = CliProcess.run(WORK, "boot-test", "--master", m, b, "--client", OTHER);
        } finally {
            if (nfsd != null) {
                nfsd.close();
            }
        }
        System.out.println("NodeGroupsIT canary boot:\n" + canary.out());
        assertThat(canary.code()).as(canary.err() + canary.out()).isZero();
        assertThat(canary.err()).contains("on 127.0.0.1:2049 of the test's own network namespace");
        JsonNode verdict = JSON.readTree(DIR.resolve("master/images").resolve(b).resolve("boot-test.json").toFile());
        assertThat(verdict.path("passed").asBoolean()).isTrue();
        assertThat(verdict.path("facts").path("hostname").asText()).isEqualTo(CANARY);
        assertThat(verdict.path("facts").path("root").path("source").asText())
                .isEqualTo("10.0.2.2:/data/cluster/images/" + b + "/root");
        assertThat(verdict.path("facts").path("evidence").toString()).contains("PXELINUX");

        System.out.println("NodeGroupsIT default client boot:\n" + other.out());
        assertThat(other.code()).as(other.err() + other.out()).isEqualTo(1);
        assertThat(other.out()).contains(OTHER + " booted " + a + ", which the default group runs, not " + b)
                .contains("root: 10.0.2.2:/data/cluster/images/" + a + "/root nfs4");
        // The image was not what booted: its verdict stays the canary's pass.
        assertThat(JSON.readTree(DIR.resolve("master/images").resolve(b).resolve("boot-test.json").toFile())
                .path("facts").path("hostname").asText()).isEqualTo(CANARY);

        cli("promote", "--master", m, b, "--group", "canary", "--require-boot-test");
        String rolled = cli("rollback", "--master", m, "--group", "canary", "--reason", "canary misbehaves").out();
        assertThat(rolled).contains("rolled back to " + a + " in group canary (was " + b + ")");
        JsonNode after = JSON.readTree(cli("status", "--master", m, "--json").out());
        assertThat(after.path("groups").get(0).path("active").asText()).isEqualTo(a);
        assertThat(after.path("groups").get(1).path("active").asText()).isEqualTo(a);
        assertThat(after.path("groups").get(1).path("rollbackTarget").asText()).isEqualTo(b);
        assertThat(Files.readString(DIR.resolve("master/tftpboot/pxelinux.cfg/01-52-54-00-00-01-07")))
                .contains("DEFAULT " + a);
    }

    private static CliProcess.Run cli(String... args) throws Exception {
        return CliProcess.run(WORK, args).requireOk();
    }
}

package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.TestArtefacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every data verb's {@code --json} through the real command line on a small real master: each prints one JSON
 * document whose keys are the documented ones and whose values agree with what happened. (build, boot-test and
 * cache list need Docker or QEMU: BootIT parses theirs.)
 */
class JsonOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String master;
    private ArtefactDirectory v1;
    private ArtefactDirectory v2;

    @BeforeEach
    void masterWithTwoArtefacts() throws Exception {
        master = tmp.resolve("master").toString();
        assertThat(Cli.run("master", "init", "--master", master, "--server", "10.0.2.2", "--clients", "10.0.2.0/24")
                .code()).isZero();
        Path store = tmp.resolve("out");
        v1 = TestArtefacts.artefact(store, "1.0", TestArtefacts.tree(tmp.resolve("t1"), Map.of()));
        v2 = TestArtefacts.artefact(store, "2.0", TestArtefacts.tree(tmp.resolve("t2"), Map.of("etc/motd", "two\n")));
    }

    /** Runs a verb that must succeed. */
    private void ok(String... args) {
        Cli.Run r = Cli.run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }

    /** Runs a verb that must succeed and print one JSON document and nothing on stderr. */
    private JsonNode json(String... args) throws Exception {
        Cli.Run r = Cli.run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return JSON.readTree(r.out());
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void deployPromoteRollbackStatusAndListReportWhatHappened() throws Exception {
        JsonNode d1 = json("deploy", "--master", master, v1.dir().toString(), "--json");
        assertThat(keys(d1)).containsExactly("version", "changed", "record", "pull");
        assertThat(d1.path("pull").isNull()).isTrue(); // a directory, not a registry reference
        assertThat(d1.path("version").asText()).isEqualTo("1.0");
        assertThat(d1.path("changed").asBoolean()).isTrue();
        assertThat(d1.path("record").path("filesWritten").asLong()).isPositive();
        assertThat(d1.path("record").path("dedupBase").isNull()).isTrue();
        assertThat(d1.path("record").path("source").asText()).isEqualTo(v1.dir().toString());

        JsonNode d2 = json("deploy", "--master", master, v2.dir().toString(), "--json");
        assertThat(d2.path("record").path("dedupBase").asText()).isEqualTo("1.0");
        assertThat(d2.path("record").path("filesLinked").asLong()).isPositive();
        assertThat(json("deploy", "--master", master, v2.dir().toString(), "--json").path("changed").asBoolean())
                .isFalse();

        JsonNode p1 = json("promote", "--master", master, "1.0", "--json");
        assertThat(keys(p1)).containsExactly("group", "from", "to", "generation", "changed");
        assertThat(p1.path("group").asText()).isEqualTo("default");
        assertThat(p1.path("from").isNull()).isTrue();
        assertThat(p1.path("to").asText()).isEqualTo("1.0");
        JsonNode p2 = json("promote", "--master", master, "2.0", "--json", "--reason", "nightly");
        assertThat(p2.path("from").asText()).isEqualTo("1.0");
        assertThat(p2.path("generation").asLong()).isGreaterThan(p1.path("generation").asLong());

        assertThat(Cli.run("clients", "add", "--master", master, "node01.example").code()).isZero();
        JsonNode s = json("status", "--master", master, "--json");
        assertThat(keys(s)).containsExactly("master", "server", "clients", "nfsVersion", "clientRoot", "generation",
                "deployed", "pinned", "clientCount", "trustedKeys", "groups", "warnings");
        assertThat(s.path("master").asText()).isEqualTo(master);
        assertThat(s.path("server").asText()).isEqualTo("10.0.2.2");
        assertThat(s.path("generation").asLong()).isEqualTo(p2.path("generation").asLong());
        assertThat(s.path("deployed").asInt()).isEqualTo(2);
        assertThat(s.path("clientCount").asInt()).isEqualTo(1);
        assertThat(s.path("groups")).hasSize(1);
        JsonNode g = s.path("groups").get(0);
        assertThat(keys(g)).containsExactly("name", "active", "ownVersion", "since", "rollbackTarget", "menu", "clients",
                "bootTest", "signer");
        assertThat(g.path("name").asText()).isEqualTo("default");
        assertThat(g.path("active").asText()).isEqualTo("2.0");
        assertThat(g.path("rollbackTarget").asText()).isEqualTo("1.0");
        assertThat(g.path("since").path("action").asText()).isEqualTo("promote");
        assertThat(g.path("since").path("reason").asText()).isEqualTo("nightly");
        assertThat(texts(g.path("menu"))).containsExactly("2.0", "1.0");
        assertThat(g.path("bootTest").asText()).isEqualTo("none");

        JsonNode list = json("list", "--master", master, "--json");
        assertThat(list).hasSize(2);
        assertThat(keys(list.get(0))).containsExactly("version", "state", "pinned", "deployedAt", "deployedBy",
                "digest", "kernel", "bootTest", "aloneBytes", "sharedBytes", "dedupBase", "groups", "signer",
                "trustedComment");
        assertThat(list.get(0).path("state").asText()).isEqualTo("rollback");
        assertThat(list.get(1).path("state").asText()).isEqualTo("active");

        JsonNode back = json("rollback", "--master", master, "--json");
        assertThat(back.path("from").asText()).isEqualTo("2.0");
        assertThat(back.path("to").asText()).isEqualTo("1.0");
        assertThat(back.path("changed").asBoolean()).isTrue();

        JsonNode clients = json("clients", "list", "--master", master, "--json");
        assertThat(clients).hasSize(1);
        assertThat(keys(clients.get(0))).containsExactly("fqdn", "mac", "group", "bootsNext", "registered",
                "stateDirectory", "stateKept");
        assertThat(clients.get(0).path("fqdn").asText()).isEqualTo("node01.example");
        assertThat(clients.get(0).path("group").asText()).isEqualTo("default");
        assertThat(clients.get(0).path("bootsNext").asText()).isEqualTo("1.0");
        assertThat(clients.get(0).path("stateDirectory").asText())
                .isEqualTo(Path.of(master, "state", "node01.example").toString());
    }

    @Test
    void verifyPrintsItsReportAndExitsOneOnADifference() throws Exception {
        ok("deploy", "--master", master, v1.dir().toString());
        JsonNode ok = json("verify", "--master", master, "1.0", "--json");
        assertThat(keys(ok)).containsExactlyInAnyOrder("version", "entries", "problems", "intact");
        assertThat(ok.path("intact").asBoolean()).isTrue();
        assertThat(ok.path("entries").asLong()).isGreaterThan(50);
        assertThat(ok.path("problems")).isEmpty();

        Path doc = Path.of(master, "images", "1.0", "root", "usr", "share", "doc", "file3.txt");
        Files.writeString(doc, "changed\n");
        Cli.Run bad = Cli.run("verify", "--master", master, "1.0", "--json");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).isEmpty();
        JsonNode r = JSON.readTree(bad.out());
        assertThat(r.path("intact").asBoolean()).isFalse();
        assertThat(keys(r.path("problems").get(0))).containsExactly("kind", "path", "detail");
        assertThat(r.path("problems")).anyMatch(p -> p.path("kind").asText().equals("modified")
                && p.path("path").asText().equals("root/usr/share/doc/file3.txt"));
    }

    @Test
    void gcSaysWhatItWouldRemoveAndThenRemovesIt() throws Exception {
        ok("deploy", "--master", master, v1.dir().toString());
        ok("deploy", "--master", master, v2.dir().toString());
        ok("promote", "--master", master, "2.0");

        JsonNode dry = json("gc", "--master", master, "--keep", "0", "--dry-run", "--json");
        assertThat(keys(dry)).containsExactly("removed", "kept", "freedBytes", "dryRun");
        assertThat(texts(dry.path("removed"))).containsExactly("1.0");
        assertThat(texts(dry.path("kept"))).containsExactly("2.0 (active)");
        assertThat(dry.path("dryRun").asBoolean()).isTrue();
        assertThat(dry.path("freedBytes").asLong()).isPositive();
        assertThat(Path.of(master, "images", "1.0")).isDirectory();

        JsonNode done = json("gc", "--master", master, "--keep", "0", "--json");
        assertThat(texts(done.path("removed"))).containsExactly("1.0");
        assertThat(done.path("dryRun").asBoolean()).isFalse();
        assertThat(done.path("freedBytes").asLong()).isEqualTo(dry.path("freedBytes").asLong());
        assertThat(Path.of(master, "images", "1.0")).doesNotExist();
    }

    @Test
    void inspectPrintsItsChecksAndExitsOneWhenTheInitramfsCannotMountNfs() throws Exception {
        String kernel = "6.1.0-test-amd64";
        Path good = TestArtefacts.initramfs(tmp.resolve("good"), kernel, "base\nnetwork\nnfs\n", true,
                "kernel/fs/nfs/nfs.ko");
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("img")), "img", "1.0", good);

        JsonNode i = json("inspect", a.dir().toString(), "--json");
        assertThat(keys(i)).containsExactly("artefact", "name", "version", "profile", "kernelVersion", "kernelCmdline",
                "packageCount", "fileCount", "rootfs", "rootfsStored", "vmlinuzSize", "initramfsSize", "roclusterVersion",
                "createdAt", "builderImageId", "checksumProblems", "initramfs", "capabilityChanges", "capabilityFiles",
                "ok");
        assertThat(i.path("artefact").asText()).isEqualTo(a.dir().toString());
        assertThat(i.path("kernelVersion").asText()).isEqualTo(kernel);
        assertThat(i.path("rootfs").path("tarSha256").asText()).isEqualTo(a.manifest().rootfs().tarSha256());
        assertThat(i.path("rootfsStored").asLong()).isEqualTo(Files.size(a.rootfs()));
        assertThat(i.path("checksumProblems")).isEmpty();
        assertThat(keys(i.path("initramfs").get(0))).containsExactly("what", "ok", "detail");
        assertThat(i.path("initramfs")).allMatch(c -> c.path("ok").asBoolean());
        assertThat(texts(i.path("capabilityFiles"))).containsExactly("etc/hostname");
        assertThat(i.path("ok").asBoolean()).isTrue();

        Path bad = TestArtefacts.initramfs(tmp.resolve("bad"), kernel, "base\n", false);
        ArtefactDirectory b = TestArtefacts.small(new ArtefactStore(tmp.resolve("img")), "img", "2.0", bad);
        Cli.Run failed = Cli.run("inspect", b.dir().toString(), "--json");
        assertThat(failed.code()).as(failed.err()).isEqualTo(1);
        assertThat(failed.err()).isEmpty();
        JsonNode f = JSON.readTree(failed.out());
        assertThat(f.path("ok").asBoolean()).isFalse();
        assertThat(f.path("initramfs")).anyMatch(c -> !c.path("ok").asBoolean()
                && c.path("what").asText().equals("dracut module nfs"));
    }

    @Test
    void errorsPrintNoJsonButOneLineOnStderr() {
        for (String[] args : List.of(
                new String[] {"status", "--master", tmp.resolve("none").toString(), "--json"},
                new String[] {"promote", "--master", master, "9.9", "--json"},
                new String[] {"verify", "--master", master, "9.9", "--json"},
                new String[] {"inspect", tmp.resolve("none").toString(), "--json"})) {
            Cli.Run r = Cli.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.out()).as(String.join(" ", args)).isEmpty();
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("rocluster: ").doesNotContain("\n");
        }
    }
}

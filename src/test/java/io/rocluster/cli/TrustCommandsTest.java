package io.rocluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** key generate, sign and master trust through the real command line; status --json shows the trust. */
class TrustCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void generateTrustListRemove() throws Exception {
        String m = tmp.resolve("m").toString();
        Cli.run("master", "init", "--master", m, "--server", "10.0.2.2", "--clients", "10.0.2.0/24");
        Cli.Run gen = Cli.run("key", "generate", "--secret-key", tmp.resolve("k").toString(), "--public-key",
                tmp.resolve("k.pub").toString());
        assertThat(gen.code()).as(gen.err()).isZero();
        String id = gen.out().replaceAll("(?s)^generated key ([0-9A-F]{16}):.*", "$1");
        assertThat(id).hasSize(16);
        assertThat(gen.out()).contains("(mode 0600)");
        Cli.Run again = Cli.run("key", "generate", "--secret-key", tmp.resolve("k").toString(), "--public-key",
                tmp.resolve("other.pub").toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().strip()).doesNotContain("\n").contains("already exists: keys are never overwritten");

        assertThat(Cli.run("master", "trust", "list", "--master", m).out()).startsWith("no trusted keys");
        assertThat(Cli.run("master", "trust", "add", "--master", m, tmp.resolve("k.pub").toString()).out())
                .isEqualTo("trusting key " + id + " on " + m + "\n");
        assertThat(Cli.run("master", "trust", "list", "--master", m).out()).isEqualTo(id + "\n");
        JsonNode status = new ObjectMapper().readTree(Cli.run("status", "--master", m, "--json").out());
        assertThat(status.get("trustedKeys").get(0).asText()).isEqualTo(id);
        assertThat(status.get("groups").get(0).get("signer").isNull()).as("nothing promoted: no signer").isTrue();
        assertThat(Cli.run("status", "--master", m).out()).contains("trusts:    " + id);
        Cli.Run bad = Cli.run("master", "trust", "add", "--master", m, tmp.resolve("k").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("is not a minisign public key");
        assertThat(Cli.run("master", "trust", "remove", "--master", m, id).out())
                .startsWith("no longer trusting key " + id + "; no key is trusted now");
        assertThat(Files.list(Path.of(m, "trusted-keys")).count()).isZero();
        assertThat(Cli.run("sign", tmp.resolve("nothing").toString(), "--key", tmp.resolve("k").toString()).err())
                .contains("no such artefact directory");
    }
}

package io.rocluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerCredentialsTest {

    @TempDir
    Path tmp;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAuthsFromDockerConfig() throws Exception {
        Files.writeString(tmp.resolve("config.json"), """
                {"auths": {
                  "registry.example.org:5000": {"auth": "%s"},
                  "https://old.example.org/v1/": {"auth": "%s"},
                  "token.example.org": {"identitytoken": "abc"}
                }}""".formatted(b64("ops:s3cr:et"), b64("legacy:pw")));
        DockerCredentials c = DockerCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", tmp.toString()));
        assertThat(c.lookup("registry.example.org:5000")).isEqualTo(new DockerCredentials.Credential("ops", "s3cr:et"));
        assertThat(c.lookup("old.example.org")).isEqualTo(new DockerCredentials.Credential("legacy", "pw"));
        assertThat(c.lookup("registry.example.org")).isNull();
        assertThat(c.lookup("registry.example.org:5000").toString()).doesNotContain("s3cr");
        assertThatThrownBy(() -> c.lookup("token.example.org")).hasMessageContaining("identitytoken");
    }

    @Test
    void noConfigMeansAnonymousAndABrokenOneIsOneLine() throws Exception {
        assertThat(DockerCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", tmp.resolve("none").toString()))
                .lookup("x.example.org")).isNull();
        Files.writeString(tmp.resolve("config.json"), "{not json");
        assertThatThrownBy(() -> DockerCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", tmp.toString())))
                .hasMessageContaining("not a readable Docker config").hasMessageContaining("DOCKER_CONFIG");
        Files.writeString(tmp.resolve("config.json"), "{\"auths\":{\"x.example.org\":{\"auth\":\"" + b64("nocolon") + "\"}}}");
        assertThatThrownBy(() -> DockerCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", tmp.toString()))
                .lookup("x.example.org")).hasMessageContaining("not base64 of user:password");
    }

    @Test
    void aCredentialHelperThatCannotRunIsNamed() throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"credHelpers\":{\"x.example.org\":\"rocluster-test-absent\"}}");
        DockerCredentials c = DockerCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", tmp.toString()));
        assertThatThrownBy(() -> c.lookup("x.example.org")).hasMessageContaining("docker-credential-rocluster-test-absent");
        assertThat(c.lookup("y.example.org")).isNull();
    }
}

package io.rocluster.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A builder container on a real engine (needs the debian:12 base image). */
class BuilderContainerIT {

    private final DockerEngine engine = DockerEngine.connect();

    @Test
    void execStreamsLinesAndExitCodeAndTheCapabilitiesAllowMounts() {
        try (BuilderContainer c = BuilderContainer.start(engine, "debian:12", "builder-container-it", false)) {
            List<String> lines = new ArrayList<>();
            int code = c.exec(List.of("sh", "-c", "echo out; echo err >&2; printf 'no newline'; exit 3"),
                    Map.of("X", "1"), lines::add);

            assertThat(code).isEqualTo(3);
            assertThat(lines).containsExactlyInAnyOrder("out", "err", "no newline");
            // SYS_ADMIN: the stages bind-mount /proc into the root; MKNOD: device nodes in it.
            assertThat(c.execChecked(List.of("sh", "-c",
                    "mkdir -p /r/proc && mount --bind /proc /r/proc && umount /r/proc && mknod /r/null c 1 3 && echo ok")))
                    .isEqualTo("ok\n");
        }
    }

    @Test
    void archiveStreamOverTheSocketIsTheEnginesArchiveByteForByte() throws Exception {
        try (BuilderContainer c = BuilderContainer.start(engine, "debian:12", "builder-container-it", false)) {
            c.execChecked(List.of("sh", "-c", "mkdir -p /build/root/etc && head -c 3000000 /dev/urandom > /build/root/big"
                    + " && echo hi > /build/root/etc/x && ln -s /etc/x /build/root/link"));

            byte[] direct;
            try (InputStream in = c.streamOut("/build/root")) {
                direct = in.readAllBytes();
            }
            byte[] viaDockerJava;
            try (InputStream in = engine.client().copyArchiveFromContainerCmd(c.id(), "/build/root").exec()) {
                viaDockerJava = in.readAllBytes();
            }

            assertThat(direct.length).isGreaterThan(3_000_000);
            assertThat(direct).isEqualTo(viaDockerJava);
            assertThatThrownBy(() -> c.streamOut("/no/such/path").close())
                    .isInstanceOf(RoclusterException.class).hasMessageContaining("404");
        }
    }

    @Test
    void aBuildKilledEarlierLeavesNoContainerBehindTheNextOne() throws Exception {
        var client = engine.client();
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        String dead = client.createContainerCmd("debian:12").withCmd("sleep", "infinity")
                .withLabels(Map.of(BuilderContainer.LABEL, "killed-build",
                        BuilderContainer.OWNER_LABEL, host + " " + finished.pid()))
                .exec().getId();
        String alive = client.createContainerCmd("debian:12").withCmd("sleep", "infinity")
                .withLabels(Map.of(BuilderContainer.LABEL, "running-build",
                        BuilderContainer.OWNER_LABEL, host + " " + ProcessHandle.current().pid()))
                .exec().getId();
        String kept = client.createContainerCmd("debian:12").withCmd("sleep", "infinity")
                .withLabels(Map.of(BuilderContainer.LABEL, "kept-build", BuilderContainer.OWNER_LABEL, "kept"))
                .exec().getId();
        try (BuilderContainer c = BuilderContainer.start(engine, "debian:12", "builder-container-it", false)) {
            List<String> ids = client.listContainersCmd().withShowAll(true).exec().stream()
                    .map(com.github.dockerjava.api.model.Container::getId).toList();
            assertThat(ids).doesNotContain(dead).contains(alive, kept, c.id());
        } finally {
            for (String id : List.of(dead, alive, kept)) {
                try {
                    client.removeContainerCmd(id).withForce(true).exec();
                } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                    // the orphan was removed, as it should be
                }
            }
        }
    }
}

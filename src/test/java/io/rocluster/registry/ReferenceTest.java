package io.rocluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    @Test
    void parsesHostPortRepositoryAndTag() {
        Reference r = Reference.parse("Registry.Example.org:5000/cluster/compute:stable");
        assertThat(r.host()).isEqualTo("registry.example.org");
        assertThat(r.port()).isEqualTo(5000);
        assertThat(r.repository()).isEqualTo("cluster/compute");
        assertThat(r.tag()).isEqualTo("stable");
        assertThat(r.registry()).isEqualTo("registry.example.org:5000");
        assertThat(r).hasToString("registry.example.org:5000/cluster/compute:stable");
        assertThat(r.withTag("canary")).hasToString("registry.example.org:5000/cluster/compute:canary");

        Reference noPort = Reference.parse("ghcr.io/acme/images/compute-debian12:2026.12.01.1");
        assertThat(noPort.port()).isEqualTo(-1);
        assertThat(noPort.registry()).isEqualTo("ghcr.io");
        assertThat(noPort.tag()).isEqualTo("2026.12.01.1");
        assertThat(Reference.parse("[::1]:5000/a/b:c").host()).isEqualTo("[::1]");
    }

    @Test
    void plainHttpOnlyForLoopback() {
        assertThat(Reference.parse("127.0.0.1:5000/a:b").loopback()).isTrue();
        assertThat(Reference.parse("127.9.8.7:5000/a:b").loopback()).isTrue();
        assertThat(Reference.parse("localhost:5000/a:b").loopback()).isTrue();
        assertThat(Reference.parse("[::1]:5000/a:b").loopback()).isTrue();
        assertThat(Reference.parse("10.0.0.1:5000/a:b").loopback()).isFalse();
        assertThat(Reference.parse("localhost.example.org/a:b").loopback()).isFalse();
        assertThat(Reference.parse("127.0.0.1.nip.io/a:b").loopback()).isFalse();
    }

    @Test
    void refusesWhatIsNotAReferenceInOneLine() {
        for (String bad : new String[] {"compute:stable", "host/repo", "host/Repo:tag", "host:99999/repo:tag",
            "host/repo:.tag", "host/repo:" + "t".repeat(129), "ho_st/repo:tag", "host//repo:tag", "host/repo/:tag",
            "host/../repo:tag", "host/repo:ta/g", ""}) {
            assertThatThrownBy(() -> Reference.parse(bad)).as(bad).isInstanceOf(RoclusterException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> Reference.parse("compute:stable")).hasMessageContaining("HOST[:PORT]/REPOSITORY:TAG");
        assertThatThrownBy(() -> Reference.parse("host:0/repo:tag")).hasMessageContaining("port 0");
    }

    @Test
    void tellsReferencesFromPaths() {
        assertThat(Reference.looksLikeReference("127.0.0.1:5000/cluster/compute:stable")).isTrue();
        assertThat(Reference.looksLikeReference("registry.example.org/cluster/compute:it-a")).isTrue();
        assertThat(Reference.looksLikeReference("localhost/compute:x")).isTrue();
        assertThat(Reference.looksLikeReference("output/compute-debian12/2026.12.01.1")).isFalse();
        assertThat(Reference.looksLikeReference("/data/out/x:y")).isFalse();
        assertThat(Reference.looksLikeReference("./out/x:y")).isFalse();
        assertThat(Reference.looksLikeReference("out/x:y")).isFalse();
    }
}

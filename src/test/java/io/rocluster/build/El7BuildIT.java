package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.rocluster.archive.SourceDateEpoch;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactInspection;
import io.rocluster.container.DockerEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the el7 example (the reference CentOS 7 procedure) where a CentOS 7 base image and the vault are
 * available: {@code docker load -i centos7.tar} and ROCLUSTER_EL7_MIRROR set to the vault's 7.9.2009 base URL.
 * Skipped, with the reason printed, elsewhere.
 */
class El7BuildIT {

    @TempDir
    Path out;

    @Test
    void el7ExampleBuildsAndItsInitramfsCanMountNfs() throws IOException {
        String mirror = System.getenv(BuilderRecipes.EL7_MIRROR);
        boolean haveBase = DockerEngine.connect().imageId("centos:7").isPresent();
        if (!haveBase || mirror == null || mirror.isBlank()) {
            String reason = "El7BuildIT skipped: " + (!haveBase ? "no centos:7 image (docker load -i centos7.tar)" : "")
                    + (!haveBase && (mirror == null || mirror.isBlank()) ? " and " : "")
                    + (mirror == null || mirror.isBlank() ? BuilderRecipes.EL7_MIRROR + " not set" : "");
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        Path spec = SourceTree.locate().root().resolve("examples/el7.yaml");

        BuildResult r = new ImageBuilder(new BuildListener() {}).build(
                new BuildRequest(spec, out, Optional.of("it"), false, false, false,
                        SourceDateEpoch.resolve(null, System.getenv())));

        ArtefactDirectory a = ArtefactDirectory.open(r.artefact());
        assertThat(a.verify(true)).isEmpty();
        assertThat(a.manifest().kernelVersion()).endsWith(".el7.x86_64");
        assertThat(a.manifest().packages()).extracting(p -> p.name())
                .contains("kernel", "dracut-network", "dracut-config-generic", "nfs-utils", "rsync");
        ArtefactInspection inspection = ArtefactInspection.of(a, false);
        assertThat(inspection.initramfs()).allSatisfy(c -> assertThat(c.ok()).as(c.what() + ": " + c.detail()).isTrue());
    }
}

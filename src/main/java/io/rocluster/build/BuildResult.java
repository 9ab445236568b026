package io.rocluster.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A finished build (also what {@code build --json} prints, with {@code rootfsFile} under the key {@code rootfs}).
 *
 * @param artefact        the artefact directory
 * @param name            image name
 * @param version         its version
 * @param kernelVersion   the image's kernel release
 * @param rootfsSha256    digest of the uncompressed rootfs tar
 * @param rootfsFile      the rootfs tarball
 * @param stages          stage name to digest, in pipeline order
 * @param cachedStages    the stages reused from the stage cache
 * @param stageSeconds    stage name to wall time in seconds (0 for cached stages), collect included
 * @param builderImageId  the builder image
 * @param capabilityFiles files still carrying file capabilities (an NFS client cannot see them)
 * @param container       the builder container's id when kept ({@code --keep-container}), else null
 * @param signedBy        id of the key that signed the artefact's SHA256SUMS, or null for an unsigned build
 * @param unchanged       {@code --if-changed} found nothing to build: the fields describe the existing artefact a
 *                        build would have reproduced, and nothing was made
 */
public record BuildResult(
        Path artefact,
        String name,
        String version,
        String kernelVersion,
        String rootfsSha256,
        @JsonProperty("rootfs") Path rootfsFile,
        Map<String, String> stages,
        List<String> cachedStages,
        Map<String, Double> stageSeconds,
        String builderImageId,
        List<String> capabilityFiles,
        String container,
        String signedBy,
        boolean unchanged) {

    /** {@code --if-changed} found that a build would reproduce {@code existing}: nothing was made. */
    static BuildResult unchanged(ArtefactDirectory existing) {
        Manifest m = existing.manifest();
        return new BuildResult(existing.dir(), m.name(), m.version(), m.kernelVersion(), m.rootfs().tarSha256(),
                existing.rootfs(), m.stages(), List.copyOf(m.stages().keySet()), Map.of(), m.builderImageId(), List.of(),
                null, null, true);
    }

    /**
     * What {@code build --json} prints of an unchanged image: {@code {"unchanged": true, "sameAs": VERSION,
     * "artefact": DIR}}.
     *
     * @param unchanged always true
     * @param sameAs    the version a build would have reproduced
     * @param artefact  its artefact directory
     */
    public record SameAs(boolean unchanged, String sameAs, Path artefact) {}

    /** What {@code build --json} prints: this build, or for an unchanged image only which artefact it is. */
    public Object forJson() {
        return unchanged ? new SameAs(true, version, artefact) : this;
    }

    /** What {@code build} prints for people: the artefact, and the kept container if any. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        if (unchanged) {
            lines.add("unchanged since " + version);
            return lines;
        }
        lines.add("built " + artefact + " (kernel " + kernelVersion + ", rootfs tar sha256 " + rootfsSha256 + ")");
        if (signedBy != null) {
            lines.add("signed SHA256SUMS with key " + signedBy);
        }
        if (container != null) {
            lines.add("builder container kept: " + container);
        }
        return lines;
    }
}

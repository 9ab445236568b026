package io.rocluster.build;

import com.fasterxml.jackson.annotation.JsonProperty;
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
        String signedBy) {

    /** What {@code build} prints for people: the artefact, and the kept container if any. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
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

package io.rocluster.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished build (also what {@code build --json} prints).
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
        Path rootfsFile,
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

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * What {@code build --json} prints: paths as text, in this order, for scripts; for an unchanged image only
     * {@code unchanged}, {@code sameAs} (its version) and {@code artefact}.
     */
    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (unchanged) {
            out.put("unchanged", true);
            out.put("sameAs", version);
            out.put("artefact", artefact.toString());
            return json(out);
        }
        out.put("artefact", artefact.toString());
        out.put("name", name);
        out.put("version", version);
        out.put("kernelVersion", kernelVersion);
        out.put("rootfs", rootfsFile.toString());
        out.put("rootfsSha256", rootfsSha256);
        out.put("stages", stages);
        out.put("cachedStages", cachedStages);
        out.put("stageSeconds", stageSeconds);
        out.put("builderImageId", builderImageId);
        out.put("capabilityFiles", capabilityFiles);
        out.put("container", container);
        out.put("signedBy", signedBy);
        return json(out);
    }

    private static String json(Map<String, Object> out) {
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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

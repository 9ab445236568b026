package io.rocluster.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code images/<v>/deploy.json}: a small summary written by deploy, so that promote, list and status
 * never parse the (multi-megabyte) manifest or walk the root.
 *
 * @param version        the version
 * @param name           image name
 * @param profile        el7 or debian12
 * @param kernelVersion  the image's kernel release
 * @param kernelCmdline  the image's extra kernel arguments (manifest)
 * @param nfsOptions     the image's extra NFS root mount options (spec nfs.options), or ""
 * @param rootfsDigest   sha256 of the uncompressed rootfs tar (the manifest's), identifies the content
 * @param manifestSha256 sha256 of manifest.json as deployed: "the same artefact" means the same manifest
 * @param deployedAt     ISO-8601 UTC
 * @param deployedBy     user
 * @param source         the artefact directory it was deployed from
 * @param dedupBase      the version whose identical files were hardlinked, or null when none were
 * @param filesLinked    regular files hardlinked to the base instead of written
 * @param bytesLinked    their content bytes
 * @param filesWritten   regular files written
 * @param bytesWritten   their content bytes
 * @param signer         id of the trusted key whose signature deploy verified, or {@value #UNSIGNED} (also for a
 *                       version deployed before signatures were checked: the field is then missing)
 * @param trustedComment the verified signature's trusted comment, or null when unsigned
 */
public record DeployRecord(String version, String name, String profile, String kernelVersion, String kernelCmdline,
        String nfsOptions, String rootfsDigest, String manifestSha256, String deployedAt, String deployedBy,
        String source, String dedupBase, long filesLinked, long bytesLinked, long filesWritten, long bytesWritten,
        String signer, String trustedComment) {

    /** {@link #signer()} of a version deployed without a verified signature. */
    public static final String UNSIGNED = "unsigned";

    public DeployRecord {
        if (signer == null) {
            signer = UNSIGNED;
        }
    }

    /** Whether deploy verified a trusted signature. */
    public boolean signed() {
        return !UNSIGNED.equals(signer);
    }

    /**
     * Reads a deployed version's record.
     *
     * @throws RoclusterException naming the fix when it is missing or damaged
     */
    public static DeployRecord read(MasterLayout layout, String version) {
        Path file = layout.deployRecord(version);
        try {
            return MasterJson.JSON.readValue(Files.readAllBytes(file), DeployRecord.class);
        } catch (NoSuchFileException e) {
            throw new RoclusterException("version " + version + " has no deploy.json (not deployed by rocluster?): "
                    + "remove " + layout.image(version) + " and deploy the artefact again");
        } catch (JsonProcessingException e) {
            throw new RoclusterException(file + " is damaged (" + e.getOriginalMessage()
                    + "): remove " + layout.image(version) + " and deploy the artefact again");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] toJson() {
        try {
            return (MasterJson.JSON.writeValueAsString(this) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

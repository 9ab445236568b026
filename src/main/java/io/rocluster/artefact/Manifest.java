package io.rocluster.artefact;

import io.rocluster.archive.FileEntry;
import io.rocluster.spec.ImageSpec;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of an artefact directory (and, once deployed, of {@code images/<v>/}): everything
 * a master needs to deploy, verify, diff and boot a version offline.
 *
 * @param formatVersion      manifest format, 1
 * @param name               image name (from the spec)
 * @param version            artefact version ({@link io.rocluster.spec.ImageVersion})
 * @param profile            el7 or debian12
 * @param kernelVersion      the image's kernel release (e.g. 6.1.0-28-amd64), never the build host's
 * @param kernelCmdline      extra kernel command line (the spec's initramfs.cmdline), without root=
 * @param packages           installed packages, sorted by name then arch
 * @param rootfs             the rootfs tarball: file name, digests and sizes
 * @param files              per-file index of the root, in tar order
 * @param stages             stage name to input digest, in pipeline order
 * @param builderImageId     Docker image id of the builder
 * @param spec               the effective spec (defaults filled in)
 * @param capabilityChanges  files whose file capabilities the build replaced by setuid root
 *                           ({@code fileCapabilities: setuid}); empty otherwise
 * @param roclusterVersion   version of rocluster that built it
 * @param createdAt          build end, ISO-8601 UTC (informational: not part of any digest)
 * @param sourceDateEpoch    the SOURCE_DATE_EPOCH every mtime was clamped to, or null when mtimes were kept
 * @param inputDigest        digest of everything the build read except the mirror's packages (spec, stage
 *                           scripts and files, builder image, rocluster version), which {@code build --if-changed}
 *                           compares; null from a rocluster that did not record it
 */
public record Manifest(
        int formatVersion,
        String name,
        String version,
        String profile,
        String kernelVersion,
        String kernelCmdline,
        List<PackageVersion> packages,
        Rootfs rootfs,
        List<FileEntry> files,
        Map<String, String> stages,
        String builderImageId,
        ImageSpec spec,
        List<String> capabilityChanges,
        String roclusterVersion,
        String createdAt,
        Long sourceDateEpoch,
        String inputDigest) {

    /** One installed package: name, version (with epoch where the distribution has one), architecture. */
    public record PackageVersion(String name, String version, String arch) {}

    /**
     * The rootfs tarball.
     *
     * @param file             file name inside the artefact directory
     * @param tarSha256        digest of the uncompressed tar stream
     * @param tarSize          size of the uncompressed tar stream in bytes
     * @param compressedSha256 digest of the file as stored
     * @param compressedSize   size of the file as stored
     */
    public record Rootfs(String file, String tarSha256, long tarSize, String compressedSha256, long compressedSize) {}
}

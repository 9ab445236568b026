package io.rocluster.artefact;

import io.rocluster.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * What {@code rocluster inspect} reports about an artefact: a summary from the manifest, the checksum
 * verification, the initramfs's ability to mount an NFS root, and the files whose capabilities an NFS client
 * would not see.
 *
 * @param manifest          the manifest
 * @param rootfsStored      size of the rootfs tarball as stored
 * @param vmlinuzSize       size of vmlinuz
 * @param initramfsSize     size of initramfs.img
 * @param checksumProblems  problems {@link ArtefactDirectory#verify} found (empty when intact)
 * @param initramfs         the initramfs checks
 * @param capabilityFiles   files that still carry security.capability
 */
public record ArtefactInspection(
        Manifest manifest,
        long rootfsStored,
        long vmlinuzSize,
        long initramfsSize,
        List<String> checksumProblems,
        List<InitramfsCheck.Result> initramfs,
        List<String> capabilityFiles) {

    /** Inspects {@code artefact}; {@code deep} also decompresses the rootfs to compare its digest. */
    public static ArtefactInspection of(ArtefactDirectory artefact, boolean deep) throws IOException {
        Manifest m = artefact.manifest();
        List<String> problems = artefact.verify(deep);
        ImageSpec spec = m.spec();
        List<String> drivers = spec == null || spec.initramfs() == null ? List.of() : spec.initramfs().drivers();
        List<InitramfsCheck.Result> initramfs = Files.isRegularFile(artefact.initramfs())
                ? InitramfsCheck.check(artefact.initramfs(), m.kernelVersion(), drivers)
                : List.of(new InitramfsCheck.Result("initramfs", false, "initramfs.img missing"));
        return new ArtefactInspection(m, size(artefact.rootfs()), size(artefact.vmlinuz()), size(artefact.initramfs()),
                problems, initramfs, InitramfsCheck.filesWithCapabilities(m.files()));
    }

    /** Whether the artefact is intact and its initramfs can mount an NFS root. */
    public boolean ok() {
        return checksumProblems.isEmpty() && initramfs.stream().allMatch(InitramfsCheck.Result::ok);
    }

    private static long size(java.nio.file.Path p) throws IOException {
        return Files.isRegularFile(p) ? Files.size(p) : -1;
    }
}

package io.rocluster.registry;

import io.rocluster.RoclusterException;
import io.rocluster.archive.PackOptions;
import io.rocluster.archive.RootfsPacker;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.ArtefactWriter;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.master.MasterLayout;
import io.rocluster.master.VersionUse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * A deployed version as an artefact directory again: its kernel, initramfs, manifest.json, SHA256SUMS (and
 * signature and build.log, which deploy keeps) beside a rootfs tarball packed afresh from {@code root/}. The
 * packer is deterministic and the tarball's frames depend only on the tar, so the result is the very file
 * that was deployed — checked against SHA256SUMS before the directory is renamed into place. Used by
 * {@code push --master} and, on a master that has pulled nothing yet, as the source of shared frames.
 */
final class DeployedArtefacts {

    private DeployedArtefacts() {}

    /**
     * Writes the artefact directory of deployed {@code version} into the store at {@code storeRoot}.
     *
     * @throws RoclusterException when the version is not deployed, or its files no longer give the artefact
     *                            its SHA256SUMS describes
     */
    static ArtefactDirectory export(MasterLayout layout, String version, Path storeRoot) throws IOException {
        layout.requireInitialised();
        Path image = layout.image(version);
        if (!Files.isRegularFile(layout.manifest(version))) {
            throw new RoclusterException("version " + version + " is not deployed on " + layout.root()
                    + ": rocluster list shows what is");
        }
        // Held until the copy is complete: gc leaves the version alone meanwhile.
        try (VersionUse use = VersionUse.share(layout, version)) {
            Manifest manifest = ManifestJson.read(layout.manifest(version));
            String rootfs = ArtefactDirectory.rootfsFileName(manifest.name(), manifest.version());
            try (ArtefactWriter w = ArtefactWriter.create(new ArtefactStore(storeRoot), manifest.name(), version)) {
                link(image.resolve("boot/vmlinuz"), w.file(ArtefactDirectory.VMLINUZ));
                link(image.resolve("boot/initramfs.img"), w.file(ArtefactDirectory.INITRAMFS));
                for (String n : new String[] {ArtefactDirectory.MANIFEST, Sha256Sums.FILE_NAME, ArtefactDirectory.SIGNATURE,
                    ArtefactDirectory.BUILD_LOG}) {
                    if (Files.isRegularFile(image.resolve(n))) {
                        link(image.resolve(n), w.file(n));
                    }
                }
                RootfsPacker.packDirectory(layout.imageRoot(version), w.file(rootfs), PackOptions.rootfs(OptionalLong.empty()),
                        null);
                try {
                    return w.commitAsIs();
                } catch (RoclusterException e) {
                    throw new RoclusterException("deployed version " + version + " does not give back its artefact ("
                            + e.getMessage() + "); a version deployed before rocluster kept build.log lacks it: push"
                            + " its artefact directory instead", e);
                }
            }
        }
    }

    /** Hardlinks (the master's files are immutable), else copies with the file's times. */
    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}

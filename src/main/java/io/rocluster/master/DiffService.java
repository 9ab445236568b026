package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.ManifestDiff;
import io.rocluster.artefact.ManifestJson;
import io.rocluster.spec.ImageVersion;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code rocluster diff OLD NEW}: compares two versions from their manifests alone, each named either by an
 * artefact directory or by a version deployed on this master (the diff itself is {@link ManifestDiff}'s).
 */
public final class DiffService {

    private final MasterLayout layout;

    public DiffService(MasterLayout layout) {
        this.layout = layout;
    }

    /** What changed from {@code older} to {@code newer}. */
    public ManifestDiff diff(String older, String newer) {
        return ManifestDiff.of(manifest(older), manifest(newer));
    }

    /** An artefact directory's manifest if {@code arg} is one, else the deployed version's on the master. */
    Manifest manifest(String arg) {
        Path dir = Path.of(arg);
        if (Files.isRegularFile(dir.resolve(ArtefactDirectory.MANIFEST))) {
            return ManifestJson.read(dir.resolve(ArtefactDirectory.MANIFEST));
        }
        if (!arg.contains("/") && Files.isDirectory(layout.images())) {
            Path m = layout.manifest(ImageVersion.check(arg));
            if (Files.isRegularFile(m)) {
                return ManifestJson.read(m);
            }
        }
        throw new RoclusterException("'" + arg + "' is neither an artefact directory (no " + ArtefactDirectory.MANIFEST
                + " in it) nor a version deployed on the master " + layout.root()
                + ": give output/<name>/<version>, or a version that rocluster list --master DIR shows");
    }
}

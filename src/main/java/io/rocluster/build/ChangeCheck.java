package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.RoclusterVersion;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.Manifest.PackageVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code build --if-changed}: would a build now make what the newest artefact of this image already is? Yes
 * when both hold: its manifest's input digest equals this build's (same spec, stage scripts and files, builder
 * image, clamp, rocluster version), and the packages the mirror would install now are the artefact's, name for
 * name and version for version. Decided before anything is built; a build that would differ only in its version
 * string is not made.
 */
final class ChangeCheck {

    /** Asks the mirror what a build would install now; the names of the earlier artefact's packages are hints. */
    interface Resolver {
        List<PackageVersion> resolve(List<String> installedNames) throws IOException;
    }

    /**
     * The answer.
     *
     * @param sameAs the artefact a build would reproduce, or null when something changed
     * @param why    what changed (one line each), or empty when nothing did
     */
    record Verdict(ArtefactDirectory sameAs, List<String> why) {

        boolean unchanged() {
            return sameAs != null;
        }
    }

    private ChangeCheck() {}

    /** Compares with the newest artefact of {@code name} in {@code store} ({@link io.rocluster.spec.ImageVersion} order). */
    static Verdict check(ArtefactStore store, String name, String inputDigest, Resolver resolver) throws IOException {
        return check(store, name, inputDigest, null, resolver);
    }

    /**
     * As {@link #check(ArtefactStore, String, String, Resolver)}; {@code builderImageId} (this build's, or null)
     * lets a changed input digest say what changed where the manifest can tell: a builder image made again, even
     * from the same recipe, has another id, and the operator should know that this is the change.
     */
    static Verdict check(ArtefactStore store, String name, String inputDigest, String builderImageId, Resolver resolver)
            throws IOException {
        List<String> versions = store.versions(name);
        if (versions.isEmpty()) {
            return changed("no earlier artefact of " + name + " in " + store.root());
        }
        String newest = versions.get(versions.size() - 1);
        Path dir = store.dir(name, newest);
        ArtefactDirectory earlier;
        try {
            earlier = ArtefactDirectory.open(dir);
        } catch (RoclusterException e) {
            return changed(newest + " cannot be compared: " + e.getMessage());
        }
        Manifest m = earlier.manifest();
        if (m.inputDigest() == null) {
            return changed(newest + " records no input digest (built by an earlier rocluster)");
        }
        if (!m.inputDigest().equals(inputDigest)) {
            if (builderImageId != null && !builderImageId.equals(m.builderImageId())) {
                return changed("the builder image changed since " + newest + " (" + shortId(m.builderImageId()) + " then, "
                        + shortId(builderImageId) + " now: made again, or from another recipe)");
            }
            if (!RoclusterVersion.get().equals(m.roclusterVersion())) {
                return changed("rocluster changed since " + newest + " (" + m.roclusterVersion() + " then, "
                        + RoclusterVersion.get() + " now)");
            }
            return changed("the spec, a stage script or SOURCE_DATE_EPOCH changed since " + newest);
        }
        List<PackageVersion> now = resolver.resolve(m.packages().stream().map(PackageVersion::name).toList());
        List<String> packages = PackageLists.differences(m.packages(), now);
        if (!packages.isEmpty()) {
            String shown = String.join(", ", packages.subList(0, Math.min(5, packages.size())))
                    + (packages.size() > 5 ? ", …" : "");
            return changed(packages.size() + " package(s) changed on the mirror since " + newest + ": " + shown);
        }
        return new Verdict(earlier, List.of());
    }

    private static String shortId(String id) {
        if (id == null) {
            return "none recorded";
        }
        String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    private static Verdict changed(String why) {
        return new Verdict(null, List.of(why));
    }
}

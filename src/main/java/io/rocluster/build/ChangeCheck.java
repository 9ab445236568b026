package io.rocluster.build;

import io.rocluster.RoclusterException;
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
            return changed("the spec, a stage script, the builder image, SOURCE_DATE_EPOCH or rocluster changed since "
                    + newest);
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

    private static Verdict changed(String why) {
        return new Verdict(null, List.of(why));
    }
}

package io.rocluster.build;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code rocluster build} was asked.
 *
 * @param spec            the image spec file
 * @param output          the artefact store ({@code output/} by default)
 * @param version         the version to build, or empty with {@code nightly}
 * @param nightly         pick the next free {@code YYYY.MM.DD.N} of today (UTC)
 * @param noCache         ignore the stage cache (results are still stored in it)
 * @param keepContainer   leave the builder container in place after the build
 * @param sourceDateEpoch the mtime clamp asked for ({@link io.rocluster.archive.SourceDateEpoch}), or empty;
 *                        the build records in the manifest what it used
 * @param signKey         secret key to sign the artefact with as the build's last step, or null
 * @param passphraseFile  passphrase of {@code signKey} when minisign encrypted it, or null
 * @param ifChanged       build only if the result would differ from the newest artefact of the image (the spec,
 *                        stage scripts, builder image or the packages the mirror would install now); otherwise make
 *                        nothing and say which artefact it would be
 */
public record BuildRequest(Path spec, Path output, Optional<String> version, boolean nightly, boolean noCache,
        boolean keepContainer, OptionalLong sourceDateEpoch, Path signKey, Path passphraseFile, boolean ifChanged) {

    /** An unsigned build that is always made. */
    public BuildRequest(Path spec, Path output, Optional<String> version, boolean nightly, boolean noCache,
            boolean keepContainer, OptionalLong sourceDateEpoch) {
        this(spec, output, version, nightly, noCache, keepContainer, sourceDateEpoch, null, null, false);
    }
}

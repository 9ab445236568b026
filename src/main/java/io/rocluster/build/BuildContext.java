package io.rocluster.build;

import io.rocluster.spec.ImageSpec;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What stages read to decide their inputs.
 *
 * @param spec            the effective spec
 * @param sources         rocluster's source tree (stage scripts, static files)
 * @param sourceDateEpoch the mtime clamp the build was given, or empty: the readonly stage then takes the newest
 *                        build date of the installed packages
 */
record BuildContext(ImageSpec spec, SourceTree sources, OptionalLong sourceDateEpoch) {

    /** A build that was given no clamp. */
    BuildContext(ImageSpec spec, SourceTree sources) {
        this(spec, sources, OptionalLong.empty());
    }

    /** {@code stages/<profile>/}. */
    Path profileStages() {
        return sources.stages().resolve(spec.profile().id());
    }
}

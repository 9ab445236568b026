package io.rocluster.build;

import io.rocluster.spec.ImageSpec;
import java.nio.file.Path;

/**
 * What stages read to decide their inputs.
 *
 * @param spec    the effective spec
 * @param sources rocluster's source tree (stage scripts, static files)
 */
record BuildContext(ImageSpec spec, SourceTree sources) {

    /** {@code stages/<profile>/}. */
    Path profileStages() {
        return sources.stages().resolve(spec.profile().id());
    }
}

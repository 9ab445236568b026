package io.rocluster.build;

import java.io.IOException;

/**
 * One step of the image build that runs a script of {@code stages/<profile>/} in the builder on
 * {@code /build/root}, and whose result the stage cache keeps. The Java side decides what (from the spec);
 * the script does how, on that distribution.
 */
interface Stage {

    /** The stage's name, as in the manifest's stage digests. */
    String name();

    /** What the stage's script gets. */
    StageInput input(BuildContext context) throws IOException;
}

package io.rocluster.artefact;

import java.nio.file.Path;

/** Lets tests of the artefact's subpackages write the small real artefacts of {@link TestArtefacts}. */
public final class ArtefactStoreAccess {

    private ArtefactStoreAccess() {}

    public static ArtefactDirectory write(Path store, String name, String version) throws java.io.IOException {
        return TestArtefacts.write(new ArtefactStore(store), name, version);
    }
}

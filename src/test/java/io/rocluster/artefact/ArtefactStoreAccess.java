package io.rocluster.artefact;

import java.nio.file.Path;

/** Lets tests of the artefact's subpackages write the small real artefacts of {@link TestArtefacts}. */
public final class ArtefactStoreAccess {

    private ArtefactStoreAccess() {}

    public static ArtefactDirectory write(Path store, String name, String version) throws java.io.IOException {
        try {
            return TestArtefacts.small(new ArtefactStore(store), name, version);
        } catch (java.io.IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new java.io.IOException(e);
        }
    }
}

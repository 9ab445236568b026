package io.rocluster.build;

import java.io.IOException;
import java.util.Map;

/**
 * Makes a fresh minimal root at {@code /build/root} (debootstrap minbase / yum --installroot) from the
 * mirror configured in the builder image. It reads nothing of the spec but the profile, which picks the
 * builder and the script; so every image of a profile shares this stage's cache entry.
 */
final class BootstrapStage implements Stage {

    @Override
    public String name() {
        return "bootstrap";
    }

    @Override
    public StageInput input(BuildContext context) throws IOException {
        String script = "10-bootstrap.sh";
        return new StageInput(name(), script, new StageFiles().script(context.profileStages(), script).toTar(), Map.of());
    }
}

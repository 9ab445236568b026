package io.rocluster.build;

import io.rocluster.spec.ProfileDefaults;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Installs the profile's required packages plus the spec's {@code packages}. Reads: {@code profile},
 * {@code packages}.
 */
final class PackagesStage implements Stage {

    @Override
    public String name() {
        return "packages";
    }

    @Override
    public StageInput input(BuildContext context) throws IOException {
        String script = "20-packages.sh";
        Set<String> packages = new LinkedHashSet<>(ProfileDefaults.of(context.spec().profile()).requiredPackages());
        packages.addAll(context.spec().packages());
        return new StageInput(name(), script, new StageFiles().script(context.profileStages(), script).toTar(),
                Map.of("ROCLUSTER_PACKAGES", String.join(" ", packages)));
    }
}

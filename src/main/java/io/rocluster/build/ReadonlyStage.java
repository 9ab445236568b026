package io.rocluster.build;

import io.rocluster.readonly.ImagePlan;
import io.rocluster.readonly.ReadOnlyConfig;
import io.rocluster.readonly.RenderedFile;
import io.rocluster.spec.ImageSpec.FileCapabilities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Makes the root fit to be shared read-only: copies in the static trees {@code stages/common/files} and
 * {@code stages/<profile>/files} (rocluster's boot-check unit, Debian's readonly-root implementation) and the
 * files the {@code readonly} package renders from the spec, then applies its plan (units, deletions,
 * paths that must exist, SSH keys) and, with {@code fileCapabilities: setuid}, replaces file capabilities.
 * Reads: readonly, rwtab, statetab, units, initramfs (dracut.conf), nfs, selinux, sshHostKeys,
 * fileCapabilities — through the rendered files, which are part of its digest, as are the static trees.
 */
final class ReadonlyStage implements Stage {

    @Override
    public String name() {
        return "readonly";
    }

    @Override
    public StageInput input(BuildContext context) throws IOException {
        String script = "30-readonly.sh";
        ReadOnlyConfig config = ReadOnlyConfig.of(context.spec());
        StageFiles files = new StageFiles()
                .script(context.profileStages(), script)
                .tree(context.sources().stages().resolve("common").resolve("files"), "readonly/files")
                .tree(context.profileStages().resolve("files"), "readonly/files");
        // Rendered files win over static ones of the same path: they carry the spec's settings.
        for (RenderedFile f : config.files()) {
            files.file("readonly/files" + f.path(), f.content().getBytes(StandardCharsets.UTF_8), f.mode());
        }
        ImagePlan plan = config.plan();
        files.file("readonly/plan", plan.render().getBytes(StandardCharsets.UTF_8), 0644);
        boolean setuid = context.spec().fileCapabilities() == FileCapabilities.SETUID;
        // Empty: the stage takes the newest build date of the installed packages (the plan's source-date-epoch).
        String epoch = CollectStep.sourceDateEpoch().isPresent() ? Long.toString(CollectStep.sourceDateEpoch().getAsLong()) : "";
        return new StageInput(name(), script, files.toTar(),
                Map.of("STAGE", "/build/stage/readonly", "ROCLUSTER_FILE_CAPABILITIES", setuid ? "setuid" : "keep",
                        "SOURCE_DATE_EPOCH", epoch));
    }
}

package io.rocluster.build;

import io.rocluster.readonly.DracutConf;
import io.rocluster.readonly.ImagePlan;
import io.rocluster.readonly.ReadOnlyConfig;
import io.rocluster.readonly.RenderedFile;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.ImageSpec.FileCapabilities;
import io.rocluster.spec.ImageSpec.Profile;
import io.rocluster.spec.ProfileDefaults;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The build's stages, in order, as data: each runs its script in the builder on {@code /build/root} and its
 * result is kept by the stage cache; {@link #COLLECT} comes last and is never cached (its output is the
 * artefact). The Java side decides what each stage gets from the spec; the script does how, on that
 * distribution.
 */
final class Stages {

    /**
     * Bootstrap, packages, initramfs, readonly: the cached stages.
     *
     * <ul>
     *   <li>bootstrap: a fresh minimal root (debootstrap minbase / yum --installroot) from the builder's mirror.
     *       It reads nothing of the spec but the profile (which picks the builder and the script), so every image
     *       of a profile shares its cache entry.
     *   <li>packages: the profile's required packages plus the spec's {@code packages}.
     *   <li>initramfs: writes the spec's dracut settings ({@code initramfs}, as /etc/dracut.conf.d/rocluster.conf,
     *       kept in the image for later kernel updates) and runs dracut once inside the root for the image's own
     *       kernel; leaves vmlinuz, initramfs.img and the kernel version in {@code /build/out}. It comes before
     *       readonly because it depends on the packages and those settings only: nothing readonly does reaches a
     *       generic (not host-only) initramfs, and a change of rwtab, statetab, units or the like re-runs readonly
     *       alone instead of dracut too.
     *   <li>readonly: makes the root fit to be shared read-only. Copies in the static trees
     *       {@code stages/common/files} and {@code stages/<profile>/files} (the boot-check unit, Debian's
     *       readonly-root implementation) and the files the {@code readonly} package renders from the spec
     *       (readonly, rwtab, statetab, units, nfs, selinux, sshHostKeys, and initramfs as dracut.conf for apply:
     *       the build's initramfs stage has written it already), which win over static files of the same
     *       path; then applies the rendered plan (units, deletions, paths that must exist, SSH keys) and, with
     *       {@code fileCapabilities: setuid}, replaces file capabilities.
     * </ul>
     */
    static final List<StageDefinition> CACHED = List.of(
            new StageDefinition("bootstrap", "10-bootstrap.sh"),
            new StageDefinition("packages", "20-packages.sh", List.of(
                    new StageDefinition.Env("ROCLUSTER_PACKAGES", Stages::packages))),
            new StageDefinition("initramfs", "30-initramfs.sh", List.of(
                    new StageDefinition.Rendered(c -> List.of(new RenderedFile("/dracut.conf", 0644,
                            DracutConf.render(c.spec()).content()))))),
            new StageDefinition("readonly", "40-readonly.sh", List.of(
                    new StageDefinition.Tree(c -> c.sources().stages().resolve("common").resolve("files"), "readonly/files"),
                    new StageDefinition.Tree(c -> c.profileStages().resolve("files"), "readonly/files"),
                    new StageDefinition.Rendered(Stages::readonlyFiles),
                    new StageDefinition.Env("ROCLUSTER_FILE_CAPABILITIES",
                            c -> c.spec().fileCapabilities() == FileCapabilities.SETUID ? "setuid" : "keep"))));

    /**
     * Not cached, run in every build before collect: decides the SOURCE_DATE_EPOCH every mtime is clamped to and
     * makes what the build wrote into files agree with it (stages/reproducible.sh). The clamp given (empty: from
     * the packages) and where it comes from otherwise are its inputs, so the input digest covers them.
     */
    static final StageDefinition REPRODUCIBLE = new StageDefinition("reproducible", "reproducible.sh", List.of(
            new StageDefinition.Env("ROCLUSTER_PACKAGING", c -> c.spec().profile() == Profile.EL7 ? "rpm" : "deb"),
            new StageDefinition.Env("SOURCE_DATE_EPOCH", c -> c.sourceDateEpoch().isPresent()
                    ? Long.toString(c.sourceDateEpoch().getAsLong()) : ""),
            new StageDefinition.Env("ROCLUSTER_EPOCH_FROM",
                    c -> c.spec().sourceDateEpoch().equals(ImageSpec.NEWEST_PACKAGE) ? "newest" : "release")));

    /**
     * Lists the image's packages (50-collect.sh); the root and the boot files are then streamed out of the
     * builder ({@link CollectStep}).
     */
    static final StageDefinition COLLECT = new StageDefinition("collect", "50-collect.sh");

    private Stages() {}

    /** The readonly stage: the build runs it in the builder, {@code rocluster apply} on a root of the host. */
    static StageDefinition readonly() {
        return CACHED.stream().filter(s -> s.name().equals("readonly")).findFirst().orElseThrow();
    }

    /** The cached stages' inputs for one build, in order. */
    static List<StageInput> inputs(BuildContext context) throws java.io.IOException {
        List<StageInput> out = new ArrayList<>();
        for (StageDefinition s : CACHED) {
            out.add(s.input(context));
        }
        return out;
    }

    /** The packages stage's list: the profile's required set, then the spec's packages. */
    static String packages(BuildContext c) {
        Set<String> packages = new LinkedHashSet<>(ProfileDefaults.of(c.spec().profile()).requiredPackages());
        packages.addAll(c.spec().packages());
        return String.join(" ", packages);
    }

    /** The readonly package's files under readonly/files/, and its plan as readonly/plan. */
    private static List<RenderedFile> readonlyFiles(BuildContext c) {
        ReadOnlyConfig config = ReadOnlyConfig.of(c.spec());
        List<RenderedFile> out = new ArrayList<>();
        for (RenderedFile f : config.files()) {
            out.add(new RenderedFile("/readonly/files" + f.path(), f.mode(), f.content()));
        }
        ImagePlan plan = config.plan();
        out.add(new RenderedFile("/readonly/plan", 0644, plan.render()));
        return out;
    }
}

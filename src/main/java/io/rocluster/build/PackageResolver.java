package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.archive.TarEntry;
import io.rocluster.archive.TarReader;
import io.rocluster.artefact.Manifest.PackageVersion;
import io.rocluster.container.BuilderContainer;
import io.rocluster.container.DockerEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the profile's package manager would install from the mirror now, asked in a builder container without
 * installing anything ({@code stages/<profile>/resolve-packages.sh}): the packages stage's list and the profile's
 * bootstrap set, resolved against fresh package lists.
 */
final class PackageResolver implements ChangeCheck.Resolver {

    static final String SCRIPT = "resolve-packages.sh";

    private final DockerEngine engine;
    private final String builderImageId;
    private final BuildContext context;
    private final List<String> log = new ArrayList<>();

    PackageResolver(DockerEngine engine, String builderImageId, BuildContext context) {
        this.engine = engine;
        this.builderImageId = builderImageId;
        this.context = context;
        if (!Files.isRegularFile(context.profileStages().resolve(SCRIPT))) {
            throw new RoclusterException("build --if-changed: the " + context.spec().profile().id() + " profile cannot"
                    + " yet tell what its mirror would install without building (no stages/"
                    + context.spec().profile().id() + "/" + SCRIPT + "): build without --if-changed");
        }
    }

    @Override
    public List<PackageVersion> resolve(List<String> installedNames) throws IOException {
        byte[] files = new StageFiles().script(context.profileStages(), SCRIPT).toTar();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ROCLUSTER_PACKAGES", Stages.packages(context));
        env.put("ROCLUSTER_INSTALLED", String.join(" ", installedNames));
        env.put("OUT", "/build/out");
        env.put("LC_ALL", "C.UTF-8");
        try (BuilderContainer c = BuilderContainer.start(engine, builderImageId, context.spec().name() + ":if-changed",
                false)) {
            c.execChecked(List.of("mkdir", "-p", "/build/stage", "/build/out"));
            c.copyIn(files, "/build/stage");
            int code = c.exec(List.of("sh", "/build/stage/" + SCRIPT), env, log::add);
            if (code != 0) {
                String last = log.isEmpty() ? "" : ": " + log.get(log.size() - 1).strip();
                throw new RoclusterException("build --if-changed: could not ask the mirror what it would install (exit "
                        + code + ")" + last + "; build without --if-changed, or fix the mirror");
            }
            try (TarReader tar = new TarReader(c.streamOut("/build/out/resolved-packages.tsv"))) {
                for (TarEntry e = tar.next(); e != null; e = tar.next()) {
                    if (e.name().endsWith("resolved-packages.tsv")) {
                        return PackageLists.parse(new String(tar.content().readAllBytes(), StandardCharsets.UTF_8),
                                "the package resolver");
                    }
                }
            }
        }
        throw new RoclusterException("build --if-changed: the resolver left no resolved-packages.tsv");
    }

    /** The resolver's output, for the build's messages. */
    List<String> log() {
        return List.copyOf(log);
    }
}

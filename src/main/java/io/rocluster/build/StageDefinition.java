package io.rocluster.build;

import io.rocluster.readonly.RenderedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One stage of the build as data: its name, its script in {@code stages/<profile>/}, and what else it reads,
 * declared as {@link Input}s. The script (with the libraries it sources) and every input go into the stage's
 * {@link StageInput}, so they are exactly what its cache digest covers: declaring an input is all it takes
 * for a change in it to re-run the stage. The stages themselves are listed in {@link Stages}.
 *
 * @param name   the stage's name, as in the manifest's stage digests
 * @param script the script's file name, e.g. {@code 20-packages.sh}
 * @param inputs what the stage reads besides its script, applied in order (a later file of the same path wins)
 */
record StageDefinition(String name, String script, List<Input> inputs) {

    StageDefinition {
        inputs = List.copyOf(inputs);
    }

    /** A stage that reads nothing but its script. */
    StageDefinition(String name, String script) {
        this(name, script, List.of());
    }

    /** One thing a stage reads, from the spec or the source tree. */
    sealed interface Input {
        void addTo(BuildContext context, StageFiles files, Map<String, String> env) throws IOException;
    }

    /** An environment variable of the script. */
    record Env(String name, Function<BuildContext, String> value) implements Input {
        @Override
        public void addTo(BuildContext context, StageFiles files, Map<String, String> env) {
            env.put(name, value.apply(context));
        }
    }

    /** A directory of the source tree (if it exists), copied to {@code prefix} in {@code /build/stage}. */
    record Tree(Function<BuildContext, Path> dir, String prefix) implements Input {
        @Override
        public void addTo(BuildContext context, StageFiles files, Map<String, String> env) throws IOException {
            files.tree(dir.apply(context), prefix);
        }
    }

    /** Files rendered from the spec, at their paths under {@code /build/stage} (without the leading "/"). */
    record Rendered(Function<BuildContext, List<RenderedFile>> files) implements Input {
        @Override
        public void addTo(BuildContext context, StageFiles stageFiles, Map<String, String> env) {
            for (RenderedFile f : files.apply(context)) {
                stageFiles.file(f.path().substring(1), f.content().getBytes(StandardCharsets.UTF_8), f.mode());
            }
        }
    }

    /** What the script gets for this spec and source tree. */
    StageInput input(BuildContext context) throws IOException {
        StageFiles files = new StageFiles().script(context.profileStages(), script);
        Map<String, String> env = new LinkedHashMap<>();
        for (Input in : inputs) {
            in.addTo(context, files, env);
        }
        return new StageInput(name, script, files.toTar(), env);
    }
}

package io.rocluster.build;

import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a stage script receives, and so everything its result depends on besides the previous stage:
 * the script, the files copied beside it into {@code /build/stage} (a deterministic tar), and its environment.
 * The stage digest is computed from exactly this, so a cache hit can never miss an input.
 *
 * @param stage  stage name (bootstrap, packages, readonly, initramfs, collect)
 * @param script the script's file name in {@code /build/stage}, e.g. {@code 20-packages.sh}
 * @param files  uncompressed tar extracted into {@code /build/stage}: the script, the libraries it sources,
 *               the stage's own inputs
 * @param env    environment variables, sorted by name
 */
public record StageInput(String stage, String script, byte[] files, Map<String, String> env) {

    public StageInput {
        env = java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    }
}

package io.rocluster.build;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage cache key: a stage's digest covers its whole {@link StageInput} (script, files, environment), the
 * builder image id and the previous stage's digest, so a change anywhere re-runs that stage and every later
 * one, and nothing else.
 */
final class StageDigests {

    private StageDigests() {}

    /** Digests of {@code inputs} in order, chained from the builder image. */
    static Map<String, String> chain(String builderImageId, List<StageInput> inputs) {
        Map<String, String> out = new LinkedHashMap<>();
        String previous = "builder:" + builderImageId;
        for (StageInput in : inputs) {
            previous = digest(previous, in);
            out.put(in.stage(), previous);
        }
        return out;
    }

    /**
     * The build's input digest, recorded in the manifest for {@code build --if-changed}: everything a build reads
     * but the packages the mirror gives it. It chains the uncached steps' inputs (reproducible, collect) onto the
     * last cached stage's digest (so it covers the builder image, every script and file, the spec's part of every
     * step and the clamp asked for) and adds the rocluster version, whose tar writer makes the rootfs bytes.
     */
    static String inputs(String roclusterVersion, Map<String, String> chain, List<StageInput> uncached) {
        String d = "rocluster " + roclusterVersion + "\n" + (chain.isEmpty() ? "" : List.copyOf(chain.values()).get(chain.size() - 1));
        for (StageInput in : uncached) {
            d = digest(d, in);
        }
        return d;
    }

    static String digest(String previous, StageInput in) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        field(md, "rocluster-stage-v1");
        field(md, previous);
        field(md, in.stage());
        field(md, in.script());
        field(md, in.files());
        in.env().forEach((k, v) -> {
            field(md, k);
            field(md, v);
        });
        return HexFormat.of().formatHex(md.digest());
    }

    // Length-prefixed, so that no two different inputs concatenate to the same bytes.
    private static void field(MessageDigest md, String s) {
        field(md, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(MessageDigest md, byte[] b) {
        md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        md.update(b);
    }
}

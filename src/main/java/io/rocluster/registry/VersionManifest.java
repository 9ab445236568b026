package io.rocluster.registry;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rocluster.RoclusterException;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.spec.ImageVersion;
import io.rocluster.artefact.Sha256Sums;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A version as an OCI artifact: an image manifest with rocluster's own {@code artifactType}, a config blob
 * naming the version and every file of its artefact directory (size and SHA-256), and one layer per file —
 * except the rootfs tarball, which is one layer per zstd frame, in order, so that versions share frames.
 * manifest.json and build.log travel zstd-compressed (a layer's media type says so); the others as they are.
 *
 * <p>Rendering is deterministic (the same artefact gives the same manifest digest, so a second tag costs no
 * upload). Parsing trusts nothing: every field, media type, digest, size, count and name is checked, file
 * names must be plain, and the rootfs name is derived from the version, never taken from the registry.
 *
 * @param config the version and its files
 * @param configDigest digest of the config blob
 * @param configSize size of the config blob
 * @param layers the layers, in order
 * @param created the build's time (the artefact manifest's createdAt), for the standard annotation
 */
public record VersionManifest(Config config, String configDigest, long configSize, List<Layer> layers, String created) {

    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    public static final String ARTIFACT_TYPE = "application/vnd.rocluster.version.v1";
    public static final String CONFIG = "application/vnd.rocluster.version.config.v1+json";
    public static final String FRAME = "application/vnd.rocluster.rootfs.frame.v1+zstd";
    public static final String MANIFEST = "application/vnd.rocluster.manifest.v1+json+zstd";
    public static final String SUMS = "application/vnd.rocluster.sha256sums.v1+text";
    public static final String SIGNATURE = "application/vnd.rocluster.signature.v1+minisign";
    public static final String KERNEL = "application/vnd.rocluster.kernel.v1";
    public static final String INITRAMFS = "application/vnd.rocluster.initramfs.v1";
    public static final String BUILD_LOG = "application/vnd.rocluster.build-log.v1+text+zstd";
    public static final String FILE = "application/vnd.rocluster.file.v1";

    static final String TITLE = "org.opencontainers.image.title";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,254}");
    /** Limits on what a registry may make rocluster hold or write. */
    static final int MAX_LAYERS = 100_000;
    static final long MAX_CONFIG = 1 << 20;
    static final long MAX_MANIFEST = 16 << 20;
    static final long MAX_BLOB = 1L << 40;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /**
     * The config blob's content.
     *
     * @param name    image name
     * @param version version
     * @param files   every file of the artefact directory, sorted by name
     */
    public record Config(String name, String version, List<FileInfo> files) {
        /** The rootfs tarball's name, derived from name and version as a build names it. */
        public String rootfs() {
            return ArtefactDirectory.rootfsFileName(name, version);
        }

        public FileInfo file(String fileName) {
            return files.stream().filter(f -> f.name().equals(fileName)).findFirst().orElse(null);
        }
    }

    /**
     * One file of the artefact directory.
     *
     * @param mtime its modification time (ISO-8601, to the nanosecond), restored by pull: deploy copies kernel
     *              and initramfs with their times, so two masters get the same trees
     */
    public record FileInfo(String name, long size, String sha256, java.time.Instant mtime) {}

    /**
     * One layer.
     *
     * @param title the file it holds, or null for a rootfs frame
     */
    public record Layer(String mediaType, String digest, long size, String title) {}

    /** The media type a file of an artefact directory travels as. */
    static String mediaTypeOf(String fileName, String rootfs) {
        if (fileName.equals(rootfs)) {
            return FRAME;
        }
        return switch (fileName) {
            case ArtefactDirectory.MANIFEST -> MANIFEST;
            case Sha256Sums.FILE_NAME -> SUMS;
            case ArtefactDirectory.VMLINUZ -> KERNEL;
            case ArtefactDirectory.INITRAMFS -> INITRAMFS;
            case ArtefactDirectory.BUILD_LOG -> BUILD_LOG;
            default -> fileName.endsWith(".minisig") ? SIGNATURE : FILE;
        };
    }

    /** Whether a layer of this media type holds its file zstd-compressed. */
    static boolean compressed(String mediaType) {
        return mediaType.endsWith("+zstd") && !mediaType.equals(FRAME);
    }

    static byte[] renderConfig(Config c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", c.name());
        root.put("version", c.version());
        ArrayNode files = root.putArray("files");
        for (FileInfo f : c.files()) {
            files.addObject().put("name", f.name()).put("size", f.size()).put("sha256", f.sha256()).put("mtime", f.mtime().toString());
        }
        return bytes(root);
    }

    /** The OCI manifest's bytes. */
    byte[] render() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MANIFEST_MEDIA_TYPE);
        root.put("artifactType", ARTIFACT_TYPE);
        root.putObject("config").put("mediaType", CONFIG).put("digest", configDigest).put("size", configSize);
        ArrayNode ls = root.putArray("layers");
        for (Layer l : layers) {
            ObjectNode n = ls.addObject().put("mediaType", l.mediaType()).put("digest", l.digest()).put("size", l.size());
            if (l.title() != null) {
                n.putObject("annotations").put(TITLE, l.title());
            }
        }
        ObjectNode a = root.putObject("annotations");
        a.put("org.opencontainers.image.title", config.name());
        a.put("org.opencontainers.image.version", config.version());
        if (created != null) {
            a.put("org.opencontainers.image.created", created);
        }
        return bytes(root);
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("JSON of a tree cannot fail", e);
        }
    }

    /**
     * Checks an OCI manifest from a registry and returns its layers and config descriptor; the config itself
     * is checked by {@link #parseConfig} once fetched, and then both together by {@link #check}.
     */
    static VersionManifest parse(String json, Reference ref) {
        if (json == null || json.length() > MAX_MANIFEST) {
            throw bad(ref, "the manifest is missing or larger than " + MAX_MANIFEST + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw bad(ref, "the manifest is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw bad(ref, "the manifest is not a JSON object");
        }
        if (!ARTIFACT_TYPE.equals(text(root, "artifactType"))) {
            throw new RoclusterException(ref + " is not a rocluster version (artifactType "
                    + text(root, "artifactType") + "): pull only what rocluster push stored");
        }
        if (root.path("schemaVersion").asInt(-1) != 2 || !MANIFEST_MEDIA_TYPE.equals(text(root, "mediaType"))) {
            throw bad(ref, "schemaVersion 2 and mediaType " + MANIFEST_MEDIA_TYPE + " are required");
        }
        JsonNode config = root.get("config");
        if (config == null || !CONFIG.equals(text(config, "mediaType"))) {
            throw bad(ref, "the config's media type is not " + CONFIG);
        }
        String configDigest = digest(config, ref, "the config");
        long configSize = size(config, ref, "the config", MAX_CONFIG);
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty() || layers.size() > MAX_LAYERS) {
            throw bad(ref, "the manifest must list between 1 and " + MAX_LAYERS + " layers");
        }
        List<Layer> out = new ArrayList<>();
        Set<String> known = Set.of(FRAME, MANIFEST, SUMS, SIGNATURE, KERNEL, INITRAMFS, BUILD_LOG, FILE);
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            String what = "layer " + i;
            String mt = l == null ? null : text(l, "mediaType");
            if (mt == null || !known.contains(mt)) {
                throw bad(ref, what + " has media type " + mt + ", which is not one of rocluster's");
            }
            String title = text(l.path("annotations"), TITLE);
            if (mt.equals(FRAME) ? title != null : title == null || !FILE_NAME.matcher(title).matches()) {
                throw bad(ref, what + (mt.equals(FRAME) ? " is a rootfs frame with a file name"
                        : " has no plain file name (" + title + ")"));
            }
            out.add(new Layer(mt, digest(l, ref, what), size(l, ref, what, MAX_BLOB), title));
        }
        JsonNode ann = root.path("annotations");
        return new VersionManifest(null, configDigest, configSize, List.copyOf(out),
                text(ann, "org.opencontainers.image.created"));
    }

    /** Checks a config blob (its digest already verified) and returns the manifest with it. */
    VersionManifest withConfig(byte[] configBytes, Reference ref) {
        JsonNode root;
        try {
            root = JSON.readTree(configBytes);
        } catch (IOException e) {
            throw bad(ref, "the config is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw bad(ref, "the config is not a JSON object");
        }
        String name = text(root, "name");
        String version = text(root, "version");
        if (name == null || !ImageVersion.isValid(name)) {
            throw bad(ref, "the config's image name '" + name + "' is not valid");
        }
        if (version == null || !ImageVersion.isValid(version)) {
            throw bad(ref, "the config's version '" + version + "' is not valid");
        }
        JsonNode files = root.get("files");
        if (files == null || !files.isArray() || files.size() > 1000) {
            throw bad(ref, "the config lists no files");
        }
        List<FileInfo> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode f : files) {
            String n = text(f, "name");
            String sha = text(f, "sha256");
            long size = f.path("size").isIntegralNumber() ? f.path("size").asLong() : -1;
            java.time.Instant mtime = instant(text(f, "mtime"));
            if (n == null || !FILE_NAME.matcher(n).matches() || !names.add(n)) {
                throw bad(ref, "the config lists a file name that is not plain or not unique (" + n + ")");
            }
            if (sha == null || !HEX.matcher(sha).matches() || size < 0 || size > MAX_BLOB || mtime == null) {
                throw bad(ref, "the config's entry for " + n + " has no valid size, sha256 and mtime");
            }
            infos.add(new FileInfo(n, size, sha, mtime));
        }
        VersionManifest m = new VersionManifest(new Config(name, version, List.copyOf(infos)), configDigest, configSize,
                layers, created);
        m.check(ref);
        return m;
    }

    /** The layers and the config agree: each file once, of the right media type, the frames summing to the rootfs. */
    private void check(Reference ref) {
        String rootfs = config.rootfs();
        Map<String, Layer> byTitle = new LinkedHashMap<>();
        long frameBytes = 0;
        for (Layer l : layers) {
            if (l.title() == null) {
                frameBytes += l.size();
                continue;
            }
            if (byTitle.put(l.title(), l) != null) {
                throw bad(ref, "file " + l.title() + " appears in more than one layer");
            }
            if (!l.mediaType().equals(mediaTypeOf(l.title(), rootfs))) {
                throw bad(ref, "file " + l.title() + " travels as " + l.mediaType() + ", not " + mediaTypeOf(l.title(), rootfs));
            }
        }
        for (String required : List.of(ArtefactDirectory.MANIFEST, Sha256Sums.FILE_NAME, ArtefactDirectory.VMLINUZ,
                ArtefactDirectory.INITRAMFS, rootfs)) {
            if (config.file(required) == null) {
                throw bad(ref, "the version has no " + required);
            }
        }
        Set<String> expected = new HashSet<>();
        for (FileInfo f : config.files()) {
            if (!f.name().equals(rootfs)) {
                expected.add(f.name());
                Layer l = byTitle.get(f.name());
                if (l == null) {
                    throw bad(ref, "no layer holds " + f.name());
                }
                if (!compressed(l.mediaType()) && l.size() != f.size()) {
                    throw bad(ref, "the layer of " + f.name() + " has " + l.size() + " bytes, the config says " + f.size());
                }
            }
        }
        if (!expected.equals(byTitle.keySet())) {
            throw bad(ref, "layers and config list different files");
        }
        if (frameBytes != config.file(rootfs).size()) {
            throw bad(ref, "the rootfs frames add up to " + frameBytes + " bytes, the config says " + config.file(rootfs).size());
        }
    }

    /** The rootfs frames, in order. */
    List<Layer> frames() {
        return layers.stream().filter(l -> l.title() == null).toList();
    }

    private static String digest(JsonNode n, Reference ref, String what) {
        String d = text(n, "digest");
        if (d == null || !DIGEST.matcher(d).matches()) {
            throw bad(ref, what + " has no sha256 digest (" + d + ")");
        }
        return d;
    }

    private static long size(JsonNode n, Reference ref, String what, long max) {
        JsonNode s = n.get("size");
        if (s == null || !s.isIntegralNumber() || s.asLong() < 0 || s.asLong() > max) {
            throw bad(ref, what + " has no size between 0 and " + max);
        }
        return s.asLong();
    }

    private static java.time.Instant instant(String s) {
        try {
            return s == null ? null : java.time.Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static RoclusterException bad(Reference ref, String what) {
        return new RoclusterException(ref + ": not a valid rocluster version (" + what
                + "): push it again with rocluster push, or pull another tag");
    }
}

package io.rocluster.artefact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes {@code manifest.json}. Readers ignore fields they do not know, so a newer
 * rocluster's additions (components added at the end of {@link Manifest}) do not break an older
 * master; {@link Manifest#formatVersion()} is what marks an incompatible change. Maps are written in their
 * own order (stages in pipeline order, xattrs sorted by name) and read back in file order.
 */
public final class ManifestJson {

    /** The manifest format this rocluster writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ManifestJson() {}

    /** The mapper for manifests, for callers that embed manifest parts in their own JSON. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Writes {@code manifest} as pretty-printed UTF-8 JSON, newline-terminated. */
    public static void write(Manifest manifest, OutputStream out) throws IOException {
        out.write(toBytes(manifest));
    }

    /** The JSON bytes of {@code manifest}. */
    public static byte[] toBytes(Manifest manifest) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(manifest);
            byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
            withNewline[json.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest not serialisable", e);
        }
    }

    /**
     * Reads a manifest file.
     *
     * @throws RoclusterException when the file is missing, not a manifest, or of another format version
     */
    public static Manifest read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RoclusterException(file + ": no manifest: is this an artefact directory made by rocluster build?");
        } catch (IOException e) {
            throw invalid(file, e);
        }
        return read(bytes, file);
    }

    private static RoclusterException invalid(Path file, IOException e) {
        return new RoclusterException(file + ": not a valid manifest (" + firstLine(e.getMessage())
                + "): rebuild the artefact or copy it again");
    }

    /** Parses a manifest's bytes, read from {@code file} (named in errors). */
    public static Manifest read(byte[] bytes, Path file) {
        Manifest m;
        try {
            m = MAPPER.readValue(bytes, Manifest.class);
        } catch (IOException e) {
            throw invalid(file, e);
        }
        if (m == null || m.formatVersion() != FORMAT_VERSION) {
            throw new RoclusterException(file + ": manifest format " + (m == null ? "?" : m.formatVersion())
                    + " is not " + FORMAT_VERSION + ": use the rocluster version that built it");
        }
        return m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

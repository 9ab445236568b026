package io.rocluster.spec;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads an image spec (YAML, or JSON) strictly and returns the effective spec, defaults filled in.
 *
 * <p>Every mistake the spec holds is reported at once, each naming its field path, its line and column, and what
 * is allowed; the whole failure is a {@link SpecException}. Loading runs in three passes: {@link SpecReader}
 * (syntax, duplicate keys), {@link SpecBinder} (unknown fields, types, enum names), {@link SpecResolver} (value
 * formats, defaults, rules between fields).
 */
public final class SpecLoader {

    /** A spec is a few kilobytes; anything this large is the wrong file. */
    static final int MAX_BYTES = 1 << 20;

    /** How messages name a spec read from standard input. */
    public static final String STDIN = "<stdin>";

    private SpecLoader() {}

    /** Loads {@code file}; JSON when its name ends in {@code .json}, YAML otherwise. */
    public static ImageSpec load(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new RoclusterException("spec file " + source + " is a directory; give the path of a YAML or JSON spec");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new RoclusterException("spec file " + source + " is larger than 1 MiB; is it the right file?");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new RoclusterException("spec file " + source + " not found; write one with `rocluster init > " + source + "`");
        } catch (AccessDeniedException e) {
            throw new RoclusterException("cannot read spec file " + source + ": permission denied");
        } catch (IOException e) {
            throw new RoclusterException("cannot read spec file " + source + ": " + e.getMessage(), e);
        }
        String text = decode(bytes, "spec file " + source);
        return parse(text, source, source.toLowerCase().endsWith(".json"));
    }

    /**
     * Reads a spec from a stream ({@code validate -} gives standard input), as JSON when it starts with '{' and
     * YAML otherwise; {@code source} names it in messages (e.g. {@code <stdin>}).
     */
    public static ImageSpec load(InputStream in, String source) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new RoclusterException("cannot read the spec from " + source + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new RoclusterException("the spec on " + source + " is larger than 1 MiB; is it the right file?");
        }
        return parse(decode(bytes, "the spec on " + source), source);
    }

    private static String decode(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RoclusterException(what + " is not UTF-8 text; save it as UTF-8");
        }
    }

    /** Parses spec text, as YAML unless it starts with '{' (JSON). */
    public static ImageSpec parse(String text, String source) {
        return parse(text, source, text.stripLeading().startsWith("{"));
    }

    /**
     * Parses spec text.
     *
     * @param text   the spec
     * @param source how to name it in messages (usually the file name)
     * @param json   true to read strict JSON, false for YAML
     * @throws SpecException listing every mistake found
     */
    public static ImageSpec parse(String text, String source, boolean json) {
        Problems problems = new Problems();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark some editors add; Jackson's YAML parser chokes on it
        }
        SpecNode root = new SpecReader(problems.errors).read(text, json);
        if (root == null) {
            throw new SpecException(source, problems.sorted());
        }
        ImageSpec raw = new SpecBinder(problems.errors, problems.locations).bind(root, ImageSpec.class, "");
        ImageSpec effective = raw == null ? null : new SpecResolver(problems).resolve(raw);
        if (!problems.errors.isEmpty()) {
            throw new SpecException(source, problems.sorted());
        }
        return effective;
    }
}

package io.rocluster.artefact;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code SHA256SUMS} file of an artefact directory, in the format of GNU {@code sha256sum}
 * ({@code <64 hex>  <name>} per line, sorted by name), so an operator can check an artefact with
 * {@code sha256sum -c SHA256SUMS} on a machine without rocluster.
 *
 * @param digests file name (no directory part) to lower-case hex SHA-256
 */
public record Sha256Sums(Map<String, String> digests) {

    /** The file's name inside an artefact directory. */
    public static final String FILE_NAME = "SHA256SUMS";

    // sha256sum writes "  " (text mode) or " *" (binary mode) between digest and name.
    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

    public Sha256Sums {
        digests = java.util.Collections.unmodifiableMap(new TreeMap<>(digests));
    }

    /** Digests of the given files of {@code dir}. */
    public static Sha256Sums of(Path dir, Iterable<String> names) throws IOException {
        Map<String, String> d = new TreeMap<>();
        for (String n : names) {
            d.put(n, sha256(dir.resolve(n)));
        }
        return new Sha256Sums(d);
    }

    /** The file's text. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        digests.forEach((name, hex) -> sb.append(hex).append("  ").append(name).append('\n'));
        return sb.toString();
    }

    /**
     * Parses a SHA256SUMS file.
     *
     * @throws RoclusterException on a malformed line, naming it
     */
    public static Sha256Sums read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses the bytes of a SHA256SUMS file (read once, so that what is checked is what was signed); {@code source}
     * names it in errors.
     *
     * @throws RoclusterException on a malformed line, naming it
     */
    public static Sha256Sums parse(byte[] bytes, String source) throws IOException {
        Map<String, String> d = new TreeMap<>();
        int lineNo = 0;
        String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        for (String line : text.split("\r?\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches() || m.group(2).contains("/") || d.put(m.group(2), m.group(1).toLowerCase()) != null) {
                throw new RoclusterException(source + " line " + lineNo
                        + ": not a '<sha256>  <file name>' line of a unique file: the artefact is damaged, rebuild or copy it again");
            }
        }
        return new Sha256Sums(d);
    }

    /** Lower-case hex SHA-256 of a file's content (libcrypto where present: see {@link Sha256}). */
    public static String sha256(Path file) throws IOException {
        return Sha256.hex(file);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

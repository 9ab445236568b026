package io.rocluster.artefact.signature;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A minisign public key: {@code base64("Ed" ‖ key id (8 bytes) ‖ Ed25519 public key (32 bytes))}, in a file
 * whose first line is an untrusted comment, as {@code minisign -G} writes it.
 *
 * @param keyId the key id as stored (minisign prints it as a little-endian 64-bit number in hex)
 * @param key   the Ed25519 public key
 */
public record MinisignPublicKey(byte[] keyId, byte[] key) {

    static final byte[] ALGORITHM = {'E', 'd'};

    public MinisignPublicKey {
        if (keyId.length != 8 || key.length != 32) {
            throw new IllegalArgumentException("a minisign key id has 8 bytes and a public key 32");
        }
        keyId = keyId.clone();
        key = key.clone();
    }

    /** The key id as minisign prints it: 16 upper-case hex digits. */
    public String keyIdHex() {
        return keyIdHex(keyId);
    }

    static String keyIdHex(byte[] keyId) {
        byte[] le = new byte[8];
        for (int i = 0; i < 8; i++) {
            le[i] = keyId[7 - i];
        }
        return HexFormat.of().withUpperCase().formatHex(le);
    }

    /** The base64 line (what {@code minisign -P} takes). */
    public String base64() {
        byte[] b = new byte[42];
        System.arraycopy(ALGORITHM, 0, b, 0, 2);
        System.arraycopy(keyId, 0, b, 2, 8);
        System.arraycopy(key, 0, b, 10, 32);
        return Base64.getEncoder().encodeToString(b);
    }

    /** The file's text, as minisign writes it. */
    public String text() {
        return "untrusted comment: minisign public key " + keyIdHex() + "\n" + base64() + "\n";
    }

    /** Reads a public key file (two lines: untrusted comment, base64). */
    public static MinisignPublicKey read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RoclusterException(file + ": no such public key file: give a file written by rocluster key generate"
                    + " or minisign -G");
        } catch (IOException e) {
            throw new RoclusterException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses a public key file's text; {@code source} names it in errors. */
    public static MinisignPublicKey parse(String text, String source) {
        List<String> lines = MinisignText.lines(text);
        if (lines.size() != 2 || !lines.get(0).startsWith(MinisignText.UNTRUSTED)) {
            throw notAKey(source);
        }
        return fromBase64(lines.get(1), source);
    }

    /** Parses the base64 line alone. */
    public static MinisignPublicKey fromBase64(String line, String source) {
        byte[] b = MinisignText.base64(line.trim());
        if (b == null || b.length != 42 || !Arrays.equals(Arrays.copyOf(b, 2), ALGORITHM)) {
            throw notAKey(source);
        }
        return new MinisignPublicKey(Arrays.copyOfRange(b, 2, 10), Arrays.copyOfRange(b, 10, 42));
    }

    private static RoclusterException notAKey(String source) {
        return new RoclusterException(source + " is not a minisign public key (an untrusted comment line, then "
                + "base64 of an Ed25519 key): give the .pub file of rocluster key generate or minisign -G");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinisignPublicKey k && Arrays.equals(keyId, k.keyId) && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keyId) + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "minisign public key " + keyIdHex();
    }
}

package io.rocluster.artefact.signature;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * A minisign signature file ({@code FILE.minisig}): an untrusted comment; {@code base64(algorithm ‖ key id ‖
 * Ed25519 signature)}; a trusted comment; {@code base64} of the global signature over the signature and the
 * trusted comment, which makes the trusted comment as authentic as the file. Algorithm {@code ED} signs the
 * BLAKE2b-512 of the file (minisign's default), {@code Ed} the file itself (minisign -l, legacy).
 *
 * @param prehashed        algorithm ED (true) or Ed (false)
 * @param keyId            id of the signing key
 * @param signature        Ed25519 signature of the file (or of its BLAKE2b-512)
 * @param untrustedComment the first line's comment (anyone can change it)
 * @param trustedComment   the third line's comment, covered by {@code globalSignature}
 * @param globalSignature  Ed25519 signature of {@code signature ‖ trustedComment}
 */
public record MinisignSignature(boolean prehashed, byte[] keyId, byte[] signature, String untrustedComment,
        String trustedComment, byte[] globalSignature) {

    /** What a file's signature check found. */
    public enum Check {
        /** The signature and the trusted comment are the key's. */
        VALID,
        /** Made by another key. */
        OTHER_KEY,
        /** The key's id, but the signature does not verify: the file or the signature was changed. */
        BAD_SIGNATURE,
        /** The file's signature verifies, the trusted comment's does not: the comment was changed. */
        BAD_TRUSTED_COMMENT
    }

    public MinisignSignature {
        keyId = keyId.clone();
        signature = signature.clone();
        globalSignature = globalSignature.clone();
    }

    /** The key id as minisign prints it. */
    public String keyIdHex() {
        return MinisignPublicKey.keyIdHex(keyId);
    }

    /** Signs {@code data} (read to its end) with algorithm ED, as {@code minisign -S} does. */
    static MinisignSignature sign(MinisignSecretKey key, InputStream data, String trustedComment,
            String untrustedComment) throws IOException {
        MinisignText.oneLine(trustedComment, "trusted comment");
        MinisignText.oneLine(untrustedComment, "untrusted comment");
        byte[] sig = Ed25519.sign(key.seed(), blake2b512(data));
        byte[] global = Ed25519.sign(key.seed(), concat(sig, trustedComment.getBytes(StandardCharsets.UTF_8)));
        return new MinisignSignature(true, key.keyId(), sig, untrustedComment, trustedComment, global);
    }

    /** Checks this signature of {@code data} (read to its end) against {@code key}. */
    public Check check(MinisignPublicKey key, InputStream data) throws IOException {
        if (!Arrays.equals(keyId, key.keyId())) {
            return Check.OTHER_KEY;
        }
        byte[] message = prehashed ? blake2b512(data) : data.readAllBytes();
        if (!Ed25519.verify(key.key(), message, signature)) {
            return Check.BAD_SIGNATURE;
        }
        byte[] global = concat(signature, trustedComment.getBytes(StandardCharsets.UTF_8));
        return Ed25519.verify(key.key(), global, globalSignature) ? Check.VALID : Check.BAD_TRUSTED_COMMENT;
    }

    /** {@link #check(MinisignPublicKey, InputStream)} of a file. */
    public Check check(MinisignPublicKey key, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return check(key, in);
        }
    }

    /** The file's text, as minisign writes it. */
    public String text() {
        byte[] line2 = new byte[74];
        line2[0] = 'E';
        line2[1] = (byte) (prehashed ? 'D' : 'd');
        System.arraycopy(keyId, 0, line2, 2, 8);
        System.arraycopy(signature, 0, line2, 10, 64);
        Base64.Encoder b64 = Base64.getEncoder();
        return MinisignText.UNTRUSTED + untrustedComment + "\n" + b64.encodeToString(line2) + "\n"
                + MinisignText.TRUSTED + trustedComment + "\n" + b64.encodeToString(globalSignature) + "\n";
    }

    /** Reads a .minisig file. */
    public static MinisignSignature read(Path file) throws IOException {
        if (Files.size(file) > 4 * MinisignText.COMMENT_MAX) {
            throw notASignature(file.toString());
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    /** Parses the bytes of a .minisig file; {@code source} names it in errors. */
    public static MinisignSignature read(byte[] bytes, String source) throws IOException {
        if (bytes.length > 4 * MinisignText.COMMENT_MAX) {
            throw notASignature(source);
        }
        return parse(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString(), source);
    }

    /** Parses a .minisig file's text; {@code source} names it in errors. */
    public static MinisignSignature parse(String text, String source) {
        List<String> lines = MinisignText.lines(text);
        if (lines.size() != 4 || !lines.get(0).startsWith(MinisignText.UNTRUSTED)
                || !lines.get(2).startsWith(MinisignText.TRUSTED)) {
            throw notASignature(source);
        }
        byte[] sig = MinisignText.base64(lines.get(1));
        byte[] global = MinisignText.base64(lines.get(3));
        if (sig == null || sig.length != 74 || sig[0] != 'E' || sig[1] != 'D' && sig[1] != 'd'
                || global == null || global.length != 64) {
            throw notASignature(source);
        }
        return new MinisignSignature(sig[1] == 'D', Arrays.copyOfRange(sig, 2, 10), Arrays.copyOfRange(sig, 10, 74),
                lines.get(0).substring(MinisignText.UNTRUSTED.length()),
                lines.get(2).substring(MinisignText.TRUSTED.length()), global);
    }

    private static RoclusterException notASignature(String source) {
        return new RoclusterException(source + " is not a minisign signature (four lines: untrusted comment, "
                + "signature, trusted comment, global signature): sign again with rocluster sign");
    }

    static byte[] blake2b512(InputStream in) throws IOException {
        Blake2bDigest d = new Blake2bDigest(512);
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
        byte[] out = new byte[64];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinisignSignature s && prehashed == s.prehashed && Arrays.equals(keyId, s.keyId)
                && Arrays.equals(signature, s.signature) && untrustedComment.equals(s.untrustedComment)
                && trustedComment.equals(s.trustedComment) && Arrays.equals(globalSignature, s.globalSignature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "minisign signature by " + keyIdHex() + " (" + trustedComment + ")";
    }
}

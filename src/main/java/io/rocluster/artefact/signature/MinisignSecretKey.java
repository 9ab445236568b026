package io.rocluster.artefact.signature;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * A minisign secret key. The file holds {@code base64("Ed" ‖ kdf ‖ "B2" ‖ salt (32) ‖ opslimit (8) ‖ memlimit (8)
 * ‖ key id (8) ‖ Ed25519 secret key (seed ‖ public key, 64) ‖ checksum (32))}; kdf {@code "Sc"} means the last
 * 104 bytes are XORed with scrypt of a passphrase (what {@code minisign -G} writes), two zero bytes that they
 * are not ({@code minisign -G -W}, and what {@code rocluster key generate} writes: a nightly job has nobody to
 * type a passphrase). The checksum is BLAKE2b-256 of {@code "Ed" ‖ key id ‖ secret key}: a wrong passphrase shows.
 *
 * @param keyId     the key id
 * @param seed      the Ed25519 seed (32 bytes)
 * @param publicKeyBytes the Ed25519 public key (32 bytes)
 */
public record MinisignSecretKey(byte[] keyId, byte[] seed, byte[] publicKeyBytes) {

    private static final int LENGTH = 158;
    private static final byte[] SCRYPT = {'S', 'c'};
    private static final byte[] NO_KDF = {0, 0};
    private static final byte[] BLAKE2 = {'B', '2'};
    /** minisign's scrypt settings need 1 GiB; refuse a key file asking for more rather than exhaust the heap. */
    private static final long MAX_MEMLIMIT = 1L << 30;

    public MinisignSecretKey {
        if (keyId.length != 8 || seed.length != 32 || publicKeyBytes.length != 32) {
            throw new IllegalArgumentException("key id 8 bytes, seed 32, public key 32");
        }
        keyId = keyId.clone();
        seed = seed.clone();
        publicKeyBytes = publicKeyBytes.clone();
    }

    /** A new random key pair with a random key id. */
    public static MinisignSecretKey generate() {
        Ed25519.Pair pair = Ed25519.generate();
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        return new MinisignSecretKey(id, pair.seed(), pair.publicKey());
    }

    /** Its public half. */
    public MinisignPublicKey publicKey() {
        return new MinisignPublicKey(keyId, publicKeyBytes);
    }

    /** Signs {@code data} (read to its end) as {@code minisign -S} does (prehashed, algorithm ED). */
    public MinisignSignature sign(InputStream data, String trustedComment, String untrustedComment) throws IOException {
        return MinisignSignature.sign(this, data, trustedComment, untrustedComment);
    }

    /** The unencrypted key file's text, with {@code comment} as its untrusted comment. */
    public String text(String comment) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MinisignPublicKey.ALGORITHM).put(NO_KDF).put(BLAKE2).put(new byte[32]).putLong(0).putLong(0);
        b.put(keyId).put(seed).put(publicKeyBytes).put(checksum(keyId, seed, publicKeyBytes));
        return MinisignText.UNTRUSTED + MinisignText.oneLine(comment, "key comment") + "\n"
                + Base64.getEncoder().encodeToString(b.array()) + "\n";
    }

    /**
     * Reads a secret key file.
     *
     * @param passphraseFile for a key encrypted by {@code minisign -G}: a file whose first line is the passphrase;
     *                       null for an unencrypted key
     */
    public static MinisignSecretKey read(Path file, Path passphraseFile) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RoclusterException(file + ": no such secret key file: make one with rocluster key generate");
        } catch (IOException e) {
            throw new RoclusterException("cannot read " + file + ": " + e.getMessage());
        }
        List<String> lines = MinisignText.lines(text);
        byte[] b = lines.size() == 2 && lines.get(0).startsWith(MinisignText.UNTRUSTED)
                ? MinisignText.base64(lines.get(1).trim()) : null;
        if (b == null || b.length != LENGTH || !Arrays.equals(Arrays.copyOf(b, 2), MinisignPublicKey.ALGORITHM)
                || !Arrays.equals(Arrays.copyOfRange(b, 4, 6), BLAKE2)) {
            throw new RoclusterException(file + " is not a minisign secret key: give the secret key file of "
                    + "rocluster key generate or minisign -G (not the .pub file)");
        }
        byte[] kdf = Arrays.copyOfRange(b, 2, 4);
        byte[] secret = Arrays.copyOfRange(b, 54, LENGTH);
        boolean encrypted = Arrays.equals(kdf, SCRYPT);
        if (encrypted) {
            if (passphraseFile == null) {
                throw new RoclusterException(file + " is encrypted with a passphrase (minisign -G): give it with "
                        + "--passphrase-file FILE, or make an unencrypted key with rocluster key generate");
            }
            ByteBuffer params = ByteBuffer.wrap(b, 38, 16).order(ByteOrder.LITTLE_ENDIAN);
            byte[] stream = scrypt(passphrase(passphraseFile), Arrays.copyOfRange(b, 6, 38), params.getLong(),
                    params.getLong(), file);
            for (int i = 0; i < secret.length; i++) {
                secret[i] ^= stream[i];
            }
        } else if (!Arrays.equals(kdf, NO_KDF)) {
            throw new RoclusterException(file + ": unknown key derivation '" + new String(kdf, StandardCharsets.ISO_8859_1)
                    + "' (minisign knows Sc and none): make a new key with rocluster key generate");
        }
        byte[] id = Arrays.copyOfRange(secret, 0, 8);
        byte[] seed = Arrays.copyOfRange(secret, 8, 40);
        byte[] pk = Arrays.copyOfRange(secret, 40, 72);
        byte[] chk = Arrays.copyOfRange(secret, 72, 104);
        // minisign -G -W leaves the checksum of an unencrypted key zero; an encrypted key's always counts.
        boolean unchecked = !encrypted && Arrays.equals(chk, new byte[32]);
        if (!unchecked && !Arrays.equals(chk, checksum(id, seed, pk))) {
            throw new RoclusterException(encrypted
                    ? "wrong passphrase for " + file + " (from " + passphraseFile + "): check the passphrase file"
                    : file + " is damaged (its checksum does not match): restore it from a backup");
        }
        MinisignSecretKey key = new MinisignSecretKey(id, seed, pk);
        if (!Ed25519.verify(pk, new byte[0], Ed25519.sign(seed, new byte[0]))) {
            throw new RoclusterException(file + " is damaged (its public half is not its secret's): restore it from a backup");
        }
        return key;
    }

    private static byte[] passphrase(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new RoclusterException(file + " is empty: put the key's passphrase on its first line");
            }
            return lines.get(0).getBytes(StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RoclusterException(file + ": no such passphrase file");
        } catch (IOException e) {
            throw new RoclusterException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * libsodium's crypto_pwhash_scryptsalsa208sha256 (what minisign calls): scrypt with N, r, p picked from
     * opslimit and memlimit by libsodium's rule.
     */
    private static byte[] scrypt(byte[] passphrase, byte[] salt, long opslimit, long memlimit, Path file) {
        if (memlimit <= 0 || memlimit > MAX_MEMLIMIT || opslimit <= 0) {
            throw new RoclusterException(file + ": scrypt limits " + opslimit + "/" + memlimit
                    + " are not minisign's: remove the passphrase with minisign -C, or make a key with rocluster key generate");
        }
        long ops = Math.max(opslimit, 32768);
        int r = 8;
        int p;
        int nLog2;
        if (ops < memlimit / 32) {
            p = 1;
            nLog2 = log2Below(ops / (r * 4L));
        } else {
            nLog2 = log2Below(memlimit / (r * 128L));
            long maxrp = Math.min((ops / 4) / (1L << nLog2), 0x3fffffff);
            p = (int) (maxrp / r);
        }
        return SCrypt.generate(passphrase, salt, 1 << nLog2, r, Math.max(p, 1), 104);
    }

    /** The smallest n ≥ 1 with 2^n > max / 2 (libsodium's pickparams loop). */
    private static int log2Below(long max) {
        int n = 1;
        while (n < 63 && (1L << n) <= max / 2) {
            n++;
        }
        return n;
    }

    private static byte[] checksum(byte[] keyId, byte[] seed, byte[] publicKey) {
        Blake2bDigest d = new Blake2bDigest(256);
        d.update(MinisignPublicKey.ALGORITHM, 0, 2);
        d.update(keyId, 0, 8);
        d.update(seed, 0, 32);
        d.update(publicKey, 0, 32);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinisignSecretKey k && Arrays.equals(keyId, k.keyId) && Arrays.equals(seed, k.seed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyId);
    }

    @Override
    public String toString() {
        return "minisign secret key " + MinisignPublicKey.keyIdHex(keyId);
    }
}

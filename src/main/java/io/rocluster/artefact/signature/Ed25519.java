package io.rocluster.artefact.signature;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Ed25519 on raw RFC 8032 bytes (32-byte seed, 32-byte public key, 64-byte signature), as minisign stores
 * them, through the JDK's SunEC provider: the JDK speaks key specs, minisign speaks bytes.
 */
final class Ed25519 {

    /** A fresh key pair: the 32-byte seed and the 32-byte public key. */
    record Pair(byte[] seed, byte[] publicKey) {}

    private Ed25519() {}

    static Pair generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] seed = ((EdECPrivateKey) kp.getPrivate()).getBytes()
                    .orElseThrow(() -> new IllegalStateException("the JDK gave an Ed25519 key without its seed"));
            return new Pair(seed, encode(((EdECPublicKey) kp.getPublic()).getPoint()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 (SunEC)", e);
        }
    }

    static byte[] sign(byte[] seed, byte[] message) {
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** False for a wrong signature, and for a public key that is not a point of the curve. */
    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, decode(publicKey)));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (java.security.InvalidKeyException | java.security.SignatureException
                | java.security.spec.InvalidKeySpecException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519 (SunEC)", e);
        }
    }

    /** RFC 8032 encoding: y little-endian, the top bit of the last byte the parity of x. */
    private static EdECPoint decode(byte[] encoded) {
        byte[] be = reverse(encoded);
        boolean xOdd = (be[0] & 0x80) != 0;
        be[0] &= 0x7f;
        return new EdECPoint(xOdd, new BigInteger(1, be));
    }

    private static byte[] encode(EdECPoint p) {
        byte[] y = p.getY().toByteArray();
        byte[] be = new byte[32];
        int n = Math.min(y.length, 32);
        System.arraycopy(y, y.length - n, be, 32 - n, n);
        if (p.isXOdd()) {
            be[0] |= (byte) 0x80;
        }
        return reverse(be);
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = Arrays.copyOf(b, b.length);
        for (int i = 0; i < r.length / 2; i++) {
            byte t = r[i];
            r[i] = r[r.length - 1 - i];
            r[r.length - 1 - i] = t;
        }
        return r;
    }
}

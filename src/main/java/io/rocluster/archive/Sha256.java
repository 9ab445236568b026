package io.rocluster.archive;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, computed by OpenSSL's libcrypto when the machine has it, else by the JDK. Packing hashes every
 * byte twice (each file for the index, the whole stream for the rootfs digest) and on a 2-core machine
 * that competes with the compressor: libcrypto's SHA-NI code runs about twice as fast as the JDK's
 * intrinsic here, and the two give identical digests (tested).
 */
abstract class Sha256 {

    private static final boolean OPENSSL = OpenSsl.available();

    /** A fresh digest. */
    static Sha256 create() {
        return OPENSSL ? new OpenSsl() : new Jdk();
    }

    /** The JDK implementation, whatever the machine has (for tests comparing the two). */
    static Sha256 jdk() {
        return new Jdk();
    }

    static boolean usesOpenSsl() {
        return OPENSSL;
    }

    abstract void update(byte[] b, int off, int len);

    /** Finishes the digest; the object must not be used afterwards. */
    abstract byte[] digest();

    final String hex() {
        return HexFormat.of().formatHex(digest());
    }

    private static final class Jdk extends Sha256 {
        private final MessageDigest md;

        Jdk() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always has SHA-256", e);
            }
        }

        @Override
        void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        byte[] digest() {
            return md.digest();
        }
    }

    /** EVP digest calls of OpenSSL 1.1 and 3 (libcrypto.so.3 or .so.1.1), direct-mapped. */
    private static final class OpenSsl extends Sha256 {
        private static final Cleaner CLEANER = Cleaner.create();
        private static final int SCRATCH = 1 << 20;
        /** Data is copied into native memory once per chunk; one scratch buffer per thread. */
        private static final ThreadLocal<Memory> SCRATCH_BUFFER = ThreadLocal.withInitial(() -> new Memory(SCRATCH));
        private static Pointer sha256;

        private final Pointer ctx;
        private final Cleaner.Cleanable cleanable;

        static boolean available() {
            if (Boolean.getBoolean("rocluster.jdkSha256")) {
                return false;
            }
            for (String name : new String[] {"libcrypto.so.3", "libcrypto.so.1.1"}) {
                try {
                    Native.register(OpenSsl.class, NativeLibrary.getInstance(name));
                    sha256 = EVP_sha256();
                    return sha256 != null;
                } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                    // try the next name, then fall back to the JDK
                }
            }
            return false;
        }

        private static native Pointer EVP_sha256();

        private static native Pointer EVP_MD_CTX_new();

        private static native void EVP_MD_CTX_free(Pointer ctx);

        private static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

        private static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

        private static native int EVP_DigestFinal_ex(Pointer ctx, byte[] md, int[] size);

        OpenSsl() {
            Pointer c = EVP_MD_CTX_new();
            if (c == null || EVP_DigestInit_ex(c, sha256, null) != 1) {
                throw new IllegalStateException("OpenSSL could not start a SHA-256 digest");
            }
            ctx = c;
            cleanable = CLEANER.register(this, () -> EVP_MD_CTX_free(c));
        }

        @Override
        void update(byte[] b, int off, int len) {
            Memory scratch = SCRATCH_BUFFER.get();
            while (len > 0) {
                int n = Math.min(len, SCRATCH);
                scratch.write(0, b, off, n);
                if (EVP_DigestUpdate(ctx, scratch, n) != 1) {
                    throw new IllegalStateException("OpenSSL SHA-256 update failed");
                }
                off += n;
                len -= n;
            }
        }

        @Override
        byte[] digest() {
            byte[] out = new byte[32];
            int ok = EVP_DigestFinal_ex(ctx, out, new int[1]);
            cleanable.clean();
            if (ok != 1) {
                throw new IllegalStateException("OpenSSL SHA-256 final failed");
            }
            return out;
        }
    }
}

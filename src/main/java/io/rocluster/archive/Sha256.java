package io.rocluster.archive;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, computed by OpenSSL's libcrypto when the machine has it, else by the JDK. Packing hashes every
 * byte twice (each file for the index, the whole stream for the rootfs digest) and on a 2-core machine
 * that competes with the compressor: libcrypto's SHA-NI code runs about twice as fast as the JDK's
 * intrinsic here, and the two give identical digests (tested).
 *
 * <p>Public so that every large digest of the project (artefact checksums, verify) goes through it: the
 * launcher runs the JVM without the C2 compiler when libcrypto is present (faster start, no compile
 * threads competing with the compressor), and without C2 the JDK's SHA-256 is about ten times slower.
 */
public abstract class Sha256 {

    private static final boolean OPENSSL = OpenSsl.available();

    /** A fresh digest. */
    public static Sha256 create() {
        return OPENSSL ? new OpenSsl() : new Jdk();
    }

    /**
     * A digest that hashes nothing, for content whose digest nobody reads (packing without a per-file
     * index); asking it for a digest is a programming error.
     */
    static final Sha256 NONE = new Sha256() {
        @Override
        public void update(byte[] b, int off, int len) {}

        @Override
        void update(Pointer p, long len) {}

        @Override
        public byte[] digest() {
            throw new IllegalStateException("Sha256.NONE computes no digest");
        }
    };

    /** The JDK implementation, whatever the machine has (for tests comparing the two). */
    static Sha256 jdk() {
        return new Jdk();
    }

    static boolean usesOpenSsl() {
        return OPENSSL;
    }

    /** Adds {@code len} bytes of {@code b} from {@code off}. */
    public abstract void update(byte[] b, int off, int len);

    /** Adds {@code len} bytes of native memory (packing reads files there: libcrypto hashes them in place). */
    void update(Pointer p, long len) {
        byte[] b = new byte[(int) Math.min(len, 1 << 20)];
        for (long off = 0; off < len; ) {
            int n = (int) Math.min(b.length, len - off);
            p.read(off, b, 0, n);
            update(b, 0, n);
            off += n;
        }
    }

    /** Finishes the digest; the object must not be used afterwards. */
    public abstract byte[] digest();

    /** Finishes the digest as lower-case hex; the object must not be used afterwards. */
    public final String hex() {
        return HexFormat.of().formatHex(digest());
    }

    /** Lower-case hex SHA-256 of everything {@code in} holds (read to its end, not closed). */
    public static String hex(InputStream in) throws IOException {
        Sha256 d = create();
        byte[] buf = new byte[1 << 20];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
        return d.hex();
    }

    /** Lower-case hex SHA-256 of a file's content. */
    public static String hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return hex(in);
        }
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
        public void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        public byte[] digest() {
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
            NativeSearchPath.set();
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
        void update(Pointer p, long len) {
            if (len > 0 && EVP_DigestUpdate(ctx, p, len) != 1) {
                throw new IllegalStateException("OpenSSL SHA-256 update failed");
            }
        }

        @Override
        public void update(byte[] b, int off, int len) {
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
        public byte[] digest() {
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

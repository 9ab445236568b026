package io.rocluster.artefact.signature;

import io.rocluster.RoclusterException;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.Sha256Sums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one check of an artefact before anything acts on it (deploy; a registry pull before it keeps what it
 * fetched): the manifest keeps {@link io.rocluster.artefact.ManifestRules}; with trusted keys, SHA256SUMS
 * carries a valid signature by one of them whose trusted comment, where it names the artefact, names this
 * one; every file matches SHA256SUMS. What is left, the rootfs tar against the manifest's per-file index, is
 * checked while unpacking ({@link io.rocluster.archive.IndexCheck}).
 */
public final class ArtefactVerifier {

    /**
     * Who signed an artefact, as verified.
     *
     * @param keyId          the trusted key's id
     * @param trustedComment the signature's trusted comment
     */
    public record Signer(String keyId, String trustedComment) {}

    /**
     * A checked artefact.
     *
     * @param artefact the artefact directory
     * @param signer   its verified signer, or null when unsigned (or not verified: no trusted keys)
     * @param rootfsSha256 the rootfs file's digest in SHA256SUMS; already compared with the file unless the caller
     *                 asked to hash it itself ({@link #verify(ArtefactDirectory, List, boolean, boolean)})
     */
    public record Verified(ArtefactDirectory artefact, Signer signer, String rootfsSha256, Map<String, String> digests) {
        public Verified {
            digests = Map.copyOf(digests);
        }
    }

    private ArtefactVerifier() {}

    /**
     * Checks an artefact directory.
     *
     * @param dir           the artefact directory
     * @param trusted       the keys the verifier trusts; empty: no signature is required or checked
     * @param allowUnsigned with trusted keys, accept an artefact that is unsigned or signed by a key not trusted
     *                      (the result says unsigned); a signature by a trusted key that does not verify is refused
     *                      all the same, since that means the artefact was changed after signing
     * @throws RoclusterException naming the reason and the fix
     */
    public static Verified verify(Path dir, List<MinisignPublicKey> trusted, boolean allowUnsigned) throws IOException {
        return verify(ArtefactDirectory.open(dir), trusted, allowUnsigned);
    }

    /** {@link #verify(Path, List, boolean)} of an artefact already opened (its manifest read and checked). */
    public static Verified verify(ArtefactDirectory artefact, List<MinisignPublicKey> trusted, boolean allowUnsigned)
            throws IOException {
        return verify(artefact, trusted, allowUnsigned, false);
    }

    /**
     * {@link #verify(ArtefactDirectory, List, boolean)}; with {@code rootfsByCaller}, all but the rootfs file's digest:
     * the caller (deploy, which reads the file once to unpack it) must hash it as it reads and compare with
     * {@link Verified#rootfsSha256()} before it keeps anything it made from it.
     */
    public static Verified verify(ArtefactDirectory artefact, List<MinisignPublicKey> trusted, boolean allowUnsigned,
            boolean rootfsByCaller) throws IOException {
        return verify(artefact, trusted, allowUnsigned, rootfsByCaller, Map.of());
    }

    /**
     * {@link #verify(ArtefactDirectory, List, boolean, boolean)} with the digests of files the caller hashed already
     * ({@link ArtefactDirectory#hashFixedFiles}, while the manifest was read).
     */
    public static Verified verify(ArtefactDirectory artefact, List<MinisignPublicKey> trusted, boolean allowUnsigned,
            boolean rootfsByCaller, Map<String, String> hashedAlready) throws IOException {
        Signer signer = trusted.isEmpty() ? null : signer(artefact, trusted, allowUnsigned);
        String rootfs = artefact.manifest().rootfs().file();
        artefact.requireIntact(false, rootfsByCaller ? java.util.Set.of(rootfs) : java.util.Set.of(), hashedAlready);
        Map<String, String> digests = artefact.sha256Sums().digests();
        return new Verified(artefact, signer, digests.get(rootfs), digests);
    }

    private static Signer signer(ArtefactDirectory artefact, List<MinisignPublicKey> trusted, boolean allowUnsigned)
            throws IOException {
        Path sigFile = artefact.dir().resolve(ArtefactDirectory.SIGNATURE);
        String ids = trusted.stream().map(MinisignPublicKey::keyIdHex).collect(Collectors.joining(", "));
        if (!Files.exists(sigFile, LinkOption.NOFOLLOW_LINKS)) {
            if (allowUnsigned) {
                return null;
            }
            throw new RoclusterException("artefact " + artefact.dir() + " is not signed (no " + ArtefactDirectory.SIGNATURE
                    + ") and this master trusts only signed artefacts (keys " + ids + "): sign it with rocluster sign "
                    + artefact.dir() + " --key KEY, or deploy --allow-unsigned");
        }
        if (artefact.signatureBytes() == null) {
            throw new RoclusterException("artefact " + artefact.dir() + ": " + ArtefactDirectory.SIGNATURE
                    + " is not a regular file: copy the artefact again from its build host");
        }
        MinisignSignature sig = MinisignSignature.read(artefact.signatureBytes(), sigFile.toString());
        MinisignPublicKey key = trusted.stream().filter(k -> k.keyIdHex().equals(sig.keyIdHex())).findFirst().orElse(null);
        if (key == null) {
            if (allowUnsigned) {
                return null;
            }
            throw new RoclusterException("artefact " + artefact.dir() + " is signed by key " + sig.keyIdHex()
                    + ", which this master does not trust (it trusts " + ids + "): rocluster master trust add its"
                    + " public key if it is yours, or deploy --allow-unsigned");
        }
        artefact.sha256Sums(); // refuses a missing or malformed one, so that there are bytes to check below
        // The very bytes whose digests are compared below, read once: a SHA256SUMS replaced meanwhile changes nothing.
        MinisignSignature.Check c = sig.check(key, new java.io.ByteArrayInputStream(artefact.sha256SumsBytes()));
        if (c != MinisignSignature.Check.VALID) {
            throw new RoclusterException("artefact " + artefact.dir() + ": the signature by trusted key " + key.keyIdHex()
                    + (c == MinisignSignature.Check.BAD_TRUSTED_COMMENT ? " has a changed trusted comment"
                            : " does not match " + Sha256Sums.FILE_NAME)
                    + ": the artefact was changed after signing; copy it again from its build host, or rebuild it");
        }
        requireNamesThisArtefact(sig.trustedComment(), artefact);
        return new Signer(key.keyIdHex(), sig.trustedComment());
    }

    /** A trusted comment naming another image, version or rootfs is a signature of another artefact. */
    private static void requireNamesThisArtefact(String comment, ArtefactDirectory artefact) {
        Map<String, String> fields = fields(comment);
        Manifest m = artefact.manifest();
        Map<String, String> expected = Map.of("name", m.name(), "version", m.version(),
                "rootfs", "sha256:" + m.rootfs().tarSha256());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String signed = fields.get(e.getKey());
            if (signed != null && !signed.equals(e.getValue())) {
                throw new RoclusterException("artefact " + artefact.dir() + ": its signature is for " + e.getKey() + " "
                        + signed + ", but the manifest says " + e.getValue() + ": sign this artefact with rocluster sign");
            }
        }
    }

    /** The {@code key:value} fields of a trusted comment (tab-separated, as minisign writes its own). */
    public static Map<String, String> fields(String comment) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : comment.split("\t")) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                out.putIfAbsent(part.substring(0, colon), part.substring(colon + 1));
            }
        }
        return out;
    }
}

package io.rocluster.artefact.signature;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactWriter;
import io.rocluster.artefact.Manifest;
import io.rocluster.artefact.Sha256Sums;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Signs artefacts: {@code SHA256SUMS.minisig} is a minisign signature of {@code SHA256SUMS} (which covers every
 * other file, so one signature covers the artefact), checkable with {@code minisign -Vm SHA256SUMS -p KEY.pub}.
 * Its trusted comment names what was signed, in minisign's own {@code key:value} style separated by tabs, so
 * that a signature cannot be passed off as another artefact's (see {@link SignedArtefact}).
 */
public final class ArtefactSigner implements ArtefactWriter.Signing {

    private final MinisignSecretKey key;

    public ArtefactSigner(MinisignSecretKey key) {
        this.key = key;
    }

    /** A signer with the key in {@code keyFile} (and its passphrase file, for a key encrypted by minisign -G). */
    public static ArtefactSigner load(Path keyFile, Path passphraseFile) {
        return new ArtefactSigner(MinisignSecretKey.read(keyFile, passphraseFile));
    }

    /** The signing key's id. */
    public String keyId() {
        return MinisignPublicKey.keyIdHex(key.keyId());
    }

    /** minisign's default comment fields, then name, version and rootfs digest of the artefact. */
    static String trustedComment(Manifest m, long timestamp) {
        return "timestamp:" + timestamp + "\tfile:" + Sha256Sums.FILE_NAME + "\thashed\tname:" + m.name()
                + "\tversion:" + m.version() + "\trootfs:sha256:" + m.rootfs().tarSha256();
    }

    @Override
    public String signature(Manifest manifest, byte[] sha256sums) throws IOException {
        try (InputStream in = new ByteArrayInputStream(sha256sums)) {
            return key.sign(in, trustedComment(manifest, Instant.now().getEpochSecond()),
                    "signature from rocluster secret key " + keyId()).text();
        }
    }

    /**
     * Signs an existing artefact directory after checking it is intact (a signature must not bless a damaged
     * artefact), writing {@code SHA256SUMS.minisig} aside and renaming it into place; a signature already there
     * (say, by a retired key) is replaced atomically.
     *
     * @return the signature written
     */
    public MinisignSignature sign(Path artefactDir) throws IOException {
        ArtefactDirectory artefact = ArtefactDirectory.open(artefactDir);
        artefact.requireIntact(false);
        String text = signature(artefact.manifest(), Files.readAllBytes(artefact.dir().resolve(Sha256Sums.FILE_NAME)));
        Path target = artefact.dir().resolve(ArtefactDirectory.SIGNATURE);
        try {
            Durable.writeString(target, text);
        } catch (java.io.UncheckedIOException e) {
            throw new RoclusterException("cannot write " + target + " (" + e.getCause().getMessage()
                    + "): sign a copy you can write to");
        }
        return MinisignSignature.parse(text, target.toString());
    }
}

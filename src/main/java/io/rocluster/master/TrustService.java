package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.artefact.signature.MinisignPublicKey;
import io.rocluster.artefact.signature.TrustedKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code rocluster master trust add|list|remove}: the signing keys this master accepts, in
 * {@code trusted-keys/<KEYID>.pub} beside master.yaml. A master that trusts at least one key deploys only
 * artefacts signed by one of them; one that trusts none deploys anything and says that nothing was verified.
 */
public final class TrustService {

    private final MasterLayout layout;
    private final PrintStream notices;

    public TrustService(MasterLayout layout, PrintStream notices) {
        this.layout = layout;
        this.notices = notices;
    }

    /** Whether the master trusts some key, i.e. deploys only versions one of them signed (unless told otherwise). */
    public static boolean trustsKeys(MasterLayout layout) {
        return !trusted(layout).isEmpty();
    }

    /** The trusted keys of a master, read without the lock (files are only ever renamed into place). */
    static List<MinisignPublicKey> trusted(MasterLayout layout) {
        try {
            return TrustedKeys.read(layout.trustedKeys());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Trusts the key in {@code publicKeyFile}.
     *
     * @return the key, and false when it was already trusted
     */
    public Added add(Path publicKeyFile) {
        MinisignPublicKey key = MinisignPublicKey.read(publicKeyFile);
        try (MasterSession s = MasterSession.open(layout, notices)) {
            Path target = layout.trustedKeys().resolve(TrustedKeys.fileName(key));
            if (Files.exists(target)) {
                if (!MinisignPublicKey.read(target).equals(key)) {
                    throw new RoclusterException("another key with id " + key.keyIdHex() + " is already trusted (" + target
                            + "): remove it first with rocluster master trust remove " + key.keyIdHex());
                }
                return new Added(key.keyIdHex(), false);
            }
            Durable.ensureDirectory(layout.trustedKeys());
            Durable.writeString(target, key.text());
            return new Added(key.keyIdHex(), true);
        }
    }

    /**
     * A key added.
     *
     * @param keyId the key's id
     * @param added false when it was trusted already
     */
    public record Added(String keyId, boolean added) {}

    /** The trusted keys' ids, sorted. */
    public List<String> list() {
        try (MasterSession s = MasterSession.open(layout, notices)) {
            return trusted(layout).stream().map(MinisignPublicKey::keyIdHex).toList();
        }
    }

    /**
     * Stops trusting a key; versions it signed stay deployed (their deploy.json keeps the signer).
     *
     * @return the keys still trusted
     */
    public List<String> remove(String keyId) {
        String id = keyId.toUpperCase(java.util.Locale.ROOT);
        if (!id.matches("[0-9A-F]{16}")) {
            throw new RoclusterException("'" + keyId + "' is not a key id (16 hex digits): rocluster master trust list"
                    + " shows them");
        }
        try (MasterSession s = MasterSession.open(layout, notices)) {
            Path file = layout.trustedKeys().resolve(id + ".pub");
            if (!Files.exists(file)) {
                throw new RoclusterException("key " + id + " is not trusted on " + layout.root()
                        + ": rocluster master trust list shows the keys that are");
            }
            Files.delete(file);
            Durable.syncDirectory(layout.trustedKeys());
            return trusted(layout).stream().map(MinisignPublicKey::keyIdHex).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

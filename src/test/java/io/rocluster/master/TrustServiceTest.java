package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.TestArtefacts;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.artefact.signature.ArtefactSigner;
import io.rocluster.artefact.signature.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A master's trusted keys and what deploy and promote make of signatures. */
class TrustServiceTest {

    @TempDir
    Path tmp;

    MasterFixture m;
    KeyFiles.Generated key;
    KeyFiles.Generated other;
    Path tree;

    @BeforeEach
    void setUp() throws Exception {
        m = new MasterFixture(tmp);
        key = KeyFiles.generate(tmp.resolve("a.key"), tmp.resolve("a.pub"), null);
        other = KeyFiles.generate(tmp.resolve("b.key"), tmp.resolve("b.pub"), null);
        tree = TestArtefacts.tree(tmp.resolve("t"), Map.of());
    }

    @AfterEach
    void cleanUp() throws Exception {
        FileTrees.delete(tmp);
        Files.createDirectory(tmp);
    }

    private TrustService trust() {
        return new TrustService(m.layout, m.notices);
    }

    private DeployService deployer() {
        return new DeployService(m.layout, m.notices);
    }

    private ArtefactDirectory artefact(String version, KeyFiles.Generated signedBy) throws Exception {
        ArtefactDirectory a = TestArtefacts.artefact(tmp.resolve("out-" + version), version, tree);
        if (signedBy != null) {
            ArtefactSigner.load(signedBy.secretKey(), null).sign(a.dir());
        }
        return a;
    }

    @Test
    void addListRemoveKeepTheKeysInTheMaster() throws Exception {
        assertThat(trust().add(key.publicKey())).isEqualTo(new TrustService.Added(key.keyId(), true));
        assertThat(trust().add(key.publicKey()).added()).isFalse();
        trust().add(other.publicKey());
        assertThat(trust().list()).containsExactlyInAnyOrder(key.keyId(), other.keyId());
        assertThat(m.layout.trustedKeys().resolve(key.keyId() + ".pub")).hasSameTextualContentAs(key.publicKey());
        assertThat(trust().remove(key.keyId().toLowerCase())).containsExactly(other.keyId());
        assertThatThrownBy(() -> trust().remove(key.keyId())).hasMessageContaining("is not trusted");
        assertThatThrownBy(() -> trust().remove("nope")).hasMessageContaining("is not a key id");
        assertThatThrownBy(() -> trust().add(key.secretKey())).hasMessageContaining("is not a minisign public key");
    }

    @Test
    void aMasterWithoutKeysDeploysAnythingAndSaysNothingWasVerified() throws Exception {
        DeployRecord d = deployer().deploy(artefact("1.0", null).dir(), null).record();
        assertThat(d.signer()).isEqualTo("unsigned");
        assertThat(m.notices()).contains("rocluster: warning: this master trusts no signing key, so nothing verified who"
                + " built 1.0 (rocluster master trust add KEY.pub)");
    }

    @Test
    void aTrustingMasterDeploysOnlyWhatATrustedKeySigned() throws Exception {
        trust().add(key.publicKey());
        String before = TreeHash.of(m.layout.root());
        assertThatThrownBy(() -> deployer().deploy(artefact("1.0", null).dir(), null))
                .hasMessageContaining("is not signed (no SHA256SUMS.minisig) and this master trusts only signed artefacts"
                        + " (keys " + key.keyId() + ")").hasMessageContaining("or deploy --allow-unsigned");
        assertThatThrownBy(() -> deployer().deploy(artefact("2.0", other).dir(), null))
                .hasMessageContaining("is signed by key " + other.keyId() + ", which this master does not trust");

        ArtefactDirectory tampered = artefact("3.0", key);
        Files.writeString(tampered.dir().resolve(Sha256Sums.FILE_NAME), "\n", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> deployer().deploy(tampered.dir(), null))
                .hasMessageContaining("the signature by trusted key " + key.keyId() + " does not match SHA256SUMS");

        ArtefactDirectory changedFile = artefact("4.0", key);
        Files.writeString(changedFile.initramfs(), "another initramfs");
        assertThatThrownBy(() -> deployer().deploy(changedFile.dir(), null))
                .hasMessageContaining("initramfs.img: checksum mismatch");

        ArtefactDirectory otherComment = artefact("5.0", key);
        Path sig = otherComment.dir().resolve(ArtefactDirectory.SIGNATURE);
        Files.copy(artefact("6.0", key).dir().resolve(ArtefactDirectory.SIGNATURE), sig,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> deployer().deploy(otherComment.dir(), null))
                .hasMessageContaining("does not match SHA256SUMS");
        assertThat(TreeHash.of(m.layout.root())).isEqualTo(before);

        DeployRecord d = deployer().deploy(artefact("7.0", key).dir(), null).record();
        assertThat(d.signer()).isEqualTo(key.keyId());
        assertThat(d.trustedComment()).contains("\tname:test\tversion:7.0\trootfs:sha256:");
        ListService.Entry e = new ListService(m.layout, m.notices).list().get(0);
        assertThat(e.signer()).isEqualTo(key.keyId());
    }

    @Test
    void allowUnsignedDeploysAndPromoteThenWantsItToo() throws Exception {
        trust().add(key.publicKey());
        DeployRecord d = deployer().deploy(artefact("1.0", other).dir(), true, null).record();
        assertThat(d.signer()).isEqualTo("unsigned");
        assertThat(m.notices()).contains("deploying 1.0 without a trusted signature (--allow-unsigned)");
        assertThatThrownBy(() -> m.promote().promote("1.0", false, null))
                .hasMessage("version 1.0 was deployed unsigned and this master trusts only signed artefacts: deploy a"
                        + " signed build under a new version, or promote --allow-unsigned");
        assertThat(m.promote().promote("1.0", false, true, null).to()).isEqualTo("1.0");
        deployer().deploy(artefact("2.0", key).dir(), null);
        assertThat(m.promote().promote("2.0", false, null).to()).isEqualTo("2.0");
        StatusService.Status s = new StatusService(m.layout, m.notices).status();
        assertThat(s.activeSigner()).isEqualTo(key.keyId());
        assertThat(s.trustedKeys()).containsExactly(key.keyId());
    }

    @Test
    void aSignatureOfAnotherArtefactIsRefusedByItsTrustedComment() throws Exception {
        trust().add(key.publicKey());
        ArtefactDirectory a = artefact("1.0", null);
        ArtefactDirectory b = artefact("2.0", null);
        // Sign 1.0's SHA256SUMS with a trusted comment naming 2.0, as a replayed signature would.
        ArtefactSigner s = ArtefactSigner.load(key.secretKey(), null);
        Files.writeString(a.dir().resolve(ArtefactDirectory.SIGNATURE),
                s.signature(b.manifest(), Files.readAllBytes(a.dir().resolve(Sha256Sums.FILE_NAME))));
        assertThatThrownBy(() -> deployer().deploy(a.dir(), null))
                .hasMessageContaining("its signature is for version 2.0, but the manifest says 1.0");
    }
}

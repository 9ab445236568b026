package io.rocluster.artefact.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.TestArtefacts;
import io.rocluster.artefact.Sha256Sums;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtefactSignerTest {

    @TempDir
    Path tmp;

    @Test
    void signsSha256SumsWithATrustedCommentNamingTheArtefact() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("out")), "img", "1.0");
        KeyFiles.Generated g = KeyFiles.generate(tmp.resolve("k"), tmp.resolve("k.pub"), null);
        assertThat(Files.getPosixFilePermissions(g.secretKey()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        MinisignSignature s = ArtefactSigner.load(g.secretKey(), null).sign(a.dir());
        Path sig = a.dir().resolve(ArtefactDirectory.SIGNATURE);
        assertThat(MinisignSignature.read(sig)).isEqualTo(s);
        assertThat(s.keyIdHex()).isEqualTo(g.keyId());
        assertThat(s.trustedComment()).matches("timestamp:\\d+\tfile:SHA256SUMS\thashed\tname:img\tversion:1\\.0\t"
                + "rootfs:sha256:" + a.manifest().rootfs().tarSha256());
        assertThat(s.check(MinisignPublicKey.read(g.publicKey()), a.dir().resolve(Sha256Sums.FILE_NAME)))
                .isEqualTo(MinisignSignature.Check.VALID);
        assertThat(a.verify(false)).as("the signature is outside SHA256SUMS").isEmpty();
    }

    @Test
    void aDamagedArtefactIsNotSignedAndKeysAreNeverOverwritten() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("out")), "img", "1.0");
        KeyFiles.Generated g = KeyFiles.generate(tmp.resolve("k"), tmp.resolve("k.pub"), "nightly");
        Files.writeString(a.vmlinuz(), "another kernel");
        assertThatThrownBy(() -> ArtefactSigner.load(g.secretKey(), null).sign(a.dir()))
                .hasMessageContaining("vmlinuz: checksum mismatch");
        assertThat(a.dir().resolve(ArtefactDirectory.SIGNATURE)).doesNotExist();
        String before = Files.readString(g.secretKey());
        assertThatThrownBy(() -> KeyFiles.generate(g.secretKey(), tmp.resolve("other.pub"), null))
                .hasMessageContaining("already exists: keys are never overwritten");
        assertThat(g.secretKey()).hasContent(before);
        assertThat(tmp.resolve("other.pub")).doesNotExist();
    }
}

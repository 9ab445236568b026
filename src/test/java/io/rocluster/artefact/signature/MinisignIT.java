package io.rocluster.artefact.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.TestArtefacts;
import io.rocluster.artefact.Sha256Sums;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interoperability with the real minisign (Debian's package, installed by ./setup), in both directions. */
class MinisignIT {

    @TempDir
    Path tmp;

    /** Exit code and output (stdout and stderr together) of a command, with {@code stdin} as its input. */
    record Run(int code, String output) {}

    static Run minisign(Path dir, String stdin, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("minisign"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("minisign is not installed: run ./setup (Debian package minisign)", e);
        }
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void minisignVerifiesWhatRoclusterSigns() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("out")), "img", "1.0");
        KeyFiles.Generated g = KeyFiles.generate(tmp.resolve("nightly.key"), tmp.resolve("nightly.pub"), null);
        MinisignSignature s = ArtefactSigner.load(g.secretKey(), null).sign(a.dir());
        Run v = minisign(a.dir(), "", "-Vm", Sha256Sums.FILE_NAME, "-p", g.publicKey().toString());
        assertThat(v.code()).as(v.output()).isZero();
        assertThat(v.output()).contains("Signature and comment signature verified")
                .contains("Trusted comment: " + s.trustedComment());

        // A changed SHA256SUMS fails minisign's check as it fails rocluster's.
        Files.writeString(a.dir().resolve(Sha256Sums.FILE_NAME), "\n", java.nio.file.StandardOpenOption.APPEND);
        Run bad = minisign(a.dir(), "", "-Vm", Sha256Sums.FILE_NAME, "-p", g.publicKey().toString());
        assertThat(bad.code()).as(bad.output()).isNotZero();
        assertThat(bad.output()).contains("Signature verification failed");
    }

    @Test
    void roclusterVerifiesWhatMinisignSignsAndMinisignUsesRoclusterKeys() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("out")), "img", "1.0");
        Run gen = minisign(tmp, "", "-G", "-W", "-p", "mini.pub", "-s", "mini.key");
        assertThat(gen.code()).as(gen.output()).isZero();
        Run sign = minisign(a.dir(), "", "-S", "-W", "-s", tmp.resolve("mini.key").toString(), "-m", Sha256Sums.FILE_NAME,
                "-t", "signed by minisign -S");
        assertThat(sign.code()).as(sign.output()).isZero();
        MinisignSignature s = MinisignSignature.read(a.dir().resolve(ArtefactDirectory.SIGNATURE));
        assertThat(s.check(MinisignPublicKey.read(tmp.resolve("mini.pub")), a.dir().resolve(Sha256Sums.FILE_NAME)))
                .isEqualTo(MinisignSignature.Check.VALID);
        // The verification deploy runs accepts it from a trusted minisign key.
        ArtefactVerifier.Verified v = ArtefactVerifier.verify(a.dir(), List.of(MinisignPublicKey.read(tmp.resolve("mini.pub"))),
                false);
        assertThat(v.signer().keyId()).isEqualTo(s.keyIdHex());
        assertThat(v.signer().trustedComment()).isEqualTo("signed by minisign -S");
        assertThat(MinisignSecretKey.read(tmp.resolve("mini.key"), null).publicKey())
                .isEqualTo(MinisignPublicKey.read(tmp.resolve("mini.pub")));

        // minisign signs with a key rocluster generated, and rocluster checks it.
        KeyFiles.Generated g = KeyFiles.generate(tmp.resolve("r.key"), tmp.resolve("r.pub"), null);
        Path file = Files.writeString(tmp.resolve("file.txt"), "signed by minisign with a rocluster key\n");
        Run withOurs = minisign(tmp, "", "-S", "-W", "-s", g.secretKey().toString(), "-m", file.toString());
        assertThat(withOurs.code()).as(withOurs.output()).isZero();
        assertThat(MinisignSignature.read(tmp.resolve("file.txt.minisig")).check(MinisignPublicKey.read(g.publicKey()), file))
                .isEqualTo(MinisignSignature.Check.VALID);
    }

    @Test
    void anEncryptedMinisignKeySignsWithItsPassphraseFile() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp.resolve("out")), "img", "1.0");
        Run gen = minisign(tmp, "correct horse\ncorrect horse\n", "-G", "-p", "enc.pub", "-s", "enc.key");
        assertThat(gen.code()).as(gen.output()).isZero();
        Path pass = Files.writeString(tmp.resolve("pass"), "correct horse\n");
        ArtefactSigner.load(tmp.resolve("enc.key"), pass).sign(a.dir());
        Run v = minisign(a.dir(), "", "-Vm", Sha256Sums.FILE_NAME, "-p", tmp.resolve("enc.pub").toString());
        assertThat(v.code()).as(v.output()).isZero();

        Path wrong = Files.writeString(tmp.resolve("wrong"), "battery staple\n");
        assertThatThrownBy(() -> ArtefactSigner.load(tmp.resolve("enc.key"), wrong))
                .hasMessage("wrong passphrase for " + tmp.resolve("enc.key") + " (from " + wrong
                        + "): check the passphrase file");
    }
}

package io.rocluster.artefact.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rocluster's minisign formats against vectors made by the real minisign 0.11 (see the resources' README).
 * Encrypted keys are read in MinisignIT: minisign's scrypt settings take seconds and 1 GiB per try.
 */
class MinisignTest {

    @TempDir
    Path tmp;

    private static Path vector(String name) throws Exception {
        return Path.of(MinisignTest.class.getResource(name).toURI());
    }

    private static InputStream message() throws Exception {
        return Files.newInputStream(vector("message.txt"));
    }

    @Test
    void readsMinisignPublicKeysAndPrintsTheirIdAsMinisignDoes() throws Exception {
        MinisignPublicKey k = MinisignPublicKey.read(vector("plain.pub"));
        assertThat(k.keyIdHex()).isEqualTo("4EF49FBA0E635C8C");
        assertThat(k.text()).isEqualTo(Files.readString(vector("plain.pub")));
        assertThat(MinisignPublicKey.fromBase64("RWSMXGMOup/0Ti0PJp8SP6k0lBtx87W5zMhBqpuSFfjuQOekefgC3wec", "-P"))
                .isEqualTo(k);
    }

    @Test
    void verifiesMinisignSignaturesPrehashedLegacyAndFromAnEncryptedKey() throws Exception {
        MinisignPublicKey plain = MinisignPublicKey.read(vector("plain.pub"));
        MinisignPublicKey enc = MinisignPublicKey.read(vector("enc.pub"));
        MinisignSignature ed = MinisignSignature.read(vector("message.txt.minisig"));
        assertThat(ed.prehashed()).isTrue();
        assertThat(ed.trustedComment()).isEqualTo("rocluster test vector, prehashed");
        assertThat(ed.check(plain, message())).isEqualTo(MinisignSignature.Check.VALID);
        MinisignSignature legacy = MinisignSignature.read(vector("message.txt.legacy.minisig"));
        assertThat(legacy.prehashed()).isFalse();
        assertThat(legacy.check(plain, message())).isEqualTo(MinisignSignature.Check.VALID);
        MinisignSignature byEnc = MinisignSignature.read(vector("message.txt.enc.minisig"));
        assertThat(byEnc.check(enc, message())).isEqualTo(MinisignSignature.Check.VALID);
        assertThat(byEnc.check(plain, message())).isEqualTo(MinisignSignature.Check.OTHER_KEY);
    }

    @Test
    void aChangedFileOrTrustedCommentDoesNotVerify() throws Exception {
        MinisignPublicKey plain = MinisignPublicKey.read(vector("plain.pub"));
        MinisignSignature ed = MinisignSignature.read(vector("message.txt.minisig"));
        InputStream changed = new ByteArrayInputStream("rocluster minisign test vector!\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ed.check(plain, changed)).isEqualTo(MinisignSignature.Check.BAD_SIGNATURE);
        String edited = Files.readString(vector("message.txt.minisig")).replace("prehashed", "prehashed, edited");
        assertThat(MinisignSignature.parse(edited, "edited").check(plain, message()))
                .isEqualTo(MinisignSignature.Check.BAD_TRUSTED_COMMENT);
    }

    @Test
    void signsExactlyAsMinisignDoes() throws Exception {
        MinisignSecretKey key = MinisignSecretKey.read(vector("plain.key"), null);
        assertThat(key.publicKey()).isEqualTo(MinisignPublicKey.read(vector("plain.pub")));
        MinisignSignature s = key.sign(message(), "rocluster test vector, prehashed", "signed by minisign 0.11");
        assertThat(s.text()).isEqualTo(Files.readString(vector("message.txt.minisig")));
    }

    @Test
    void aGeneratedKeyRoundTripsAndSignsWhatItsPublicKeyVerifies() throws Exception {
        MinisignSecretKey key = MinisignSecretKey.generate();
        Path file = Files.writeString(tmp.resolve("k"), key.text("nightly key"));
        MinisignSecretKey again = MinisignSecretKey.read(file, null);
        assertThat(again).isEqualTo(key);
        MinisignSignature s = again.sign(message(), "trusted", "untrusted");
        MinisignSignature parsed = MinisignSignature.parse(s.text(), "s");
        assertThat(parsed).isEqualTo(s);
        assertThat(parsed.check(key.publicKey(), message())).isEqualTo(MinisignSignature.Check.VALID);
        assertThat(parsed.check(MinisignPublicKey.read(vector("plain.pub")), message()))
                .isEqualTo(MinisignSignature.Check.OTHER_KEY);
    }

    @Test
    void malformedFilesAreOneLineRefusals() throws Exception {
        assertThatThrownBy(() -> MinisignPublicKey.read(vector("plain.key"))).hasMessageContaining("is not a minisign public key");
        assertThatThrownBy(() -> MinisignSecretKey.read(vector("plain.pub"), null)).hasMessageContaining("is not a minisign secret key");
        assertThatThrownBy(() -> MinisignSignature.parse("untrusted comment: x\nAAAA\n", "sig"))
                .hasMessageContaining("sig is not a minisign signature");
        String damaged = Files.readString(vector("plain.key"));
        Path d = tmp.resolve("damaged");
        // Flip one byte of the secret key: with a zero checksum (minisign -W) only the key-pair check can tell.
        byte[] raw = java.util.Base64.getDecoder().decode(damaged.lines().toList().get(1));
        raw[70] ^= 1;
        Files.writeString(d, damaged.lines().toList().get(0) + "\n" + java.util.Base64.getEncoder().encodeToString(raw) + "\n");
        assertThatThrownBy(() -> MinisignSecretKey.read(d, null)).hasMessageContaining("is damaged");
    }
}

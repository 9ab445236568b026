import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.Sha256Sums;
import io.rocluster.artefact.signature.ArtefactVerifier;
import io.rocluster.artefact.signature.MinisignPublicKey;
import io.rocluster.artefact.signature.MinisignSignature;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark probe, not a product: what checking an artefact's signature costs inside one JVM (after a warm-up
 * of 5): the minisign signature of SHA256SUMS alone (read the .minisig, BLAKE2b-512 of SHA256SUMS, two Ed25519
 * verifications), and ArtefactVerifier.verify as deploy runs it (the signature, the manifest's rules and
 * SHA256SUMS against every file but the rootfs, which deploy hashes while it unpacks). Prints
 * {@code signature <median ms> <p95 ms>}, {@code verify <median ms> <p95 ms>} and {@code first <ms>}: the very first
 * signature check of the JVM, class loading and cold code included, which is what one deploy pays.
 *
 * <p>Run: {@code java -cp target/rocluster.jar bench/VerifyTime.java ARTEFACT PUBLIC_KEY N}.
 */
public final class VerifyTime {

    public static void main(String[] args) throws Exception {
        Path artefact = Path.of(args[0]);
        MinisignPublicKey key = MinisignPublicKey.read(Path.of(args[1]));
        int n = Integer.parseInt(args[2]);
        ArtefactDirectory a = ArtefactDirectory.open(artefact);
        long[] sig = new long[n];
        long[] all = new long[n];
        long first = -1;
        for (int i = -5; i < n; i++) {
            long t0 = System.nanoTime();
            MinisignSignature s = MinisignSignature.read(artefact.resolve(ArtefactDirectory.SIGNATURE));
            if (s.check(key, artefact.resolve(Sha256Sums.FILE_NAME)) != MinisignSignature.Check.VALID) {
                throw new IllegalStateException("the signature does not verify");
            }
            long t1 = System.nanoTime();
            if (first < 0) {
                first = t1 - t0;
            }
            ArtefactVerifier.verify(a, List.of(key), false, true);
            long t2 = System.nanoTime();
            if (i >= 0) {
                sig[i] = t1 - t0;
                all[i] = t2 - t1;
            }
        }
        print("signature", sig);
        print("verify", all);
        System.out.printf("first %.2f%n", first / 1e6);
    }

    private static void print(String what, long[] ns) {
        Arrays.sort(ns);
        System.out.printf("%s %.2f %.2f%n", what, ns[ns.length / 2] / 1e6, ns[(int) Math.ceil(0.95 * ns.length) - 1] / 1e6);
    }
}

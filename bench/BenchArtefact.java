import io.rocluster.archive.FileEntry;
import io.rocluster.archive.PackOptions;
import io.rocluster.archive.PackResult;
import io.rocluster.archive.RootfsPacker;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactStore;
import io.rocluster.artefact.ArtefactWriter;
import io.rocluster.artefact.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Benchmark input, not a product: turns a root directory tree into a deployable artefact directory with the
 * same machinery a build uses (RootfsPacker's deterministic tar and per-file index, ArtefactWriter's
 * manifest + SHA256SUMS + atomic commit), so bench/run can deploy a modified copy of a root.
 *
 * <p>Kernel, initramfs, packages and spec come from an existing artefact ({@code --like}); without one the
 * boot files are taken from the tree's /boot (vmlinuz-*, initrd.img-*) or, when it has none, are small
 * placeholder files (deploy only copies them; nothing boots in a benchmark).
 *
 * <p>Run: {@code java -cp target/rocluster.jar bench/BenchArtefact.java ROOT STORE NAME VERSION [LIKE]}
 */
public final class BenchArtefact {

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 5) {
            System.err.println("usage: BenchArtefact ROOT STORE NAME VERSION [LIKE_ARTEFACT_DIR]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        ArtefactStore store = new ArtefactStore(Path.of(args[1]));
        String name = args[2];
        String version = args[3];
        ArtefactDirectory like = args.length == 5 ? ArtefactDirectory.open(Path.of(args[4])) : null;
        Manifest base = like == null ? null : like.manifest();

        try (ArtefactWriter w = ArtefactWriter.create(store, name, version)) {
            String rootfsName = ArtefactDirectory.rootfsFileName(name, version);
            List<FileEntry> index = new ArrayList<>();
            PackResult r = RootfsPacker.packDirectory(root, w.file(rootfsName), PackOptions.rootfs(OptionalLong.empty()),
                    index::add);
            copyBootFile(like == null ? null : like.vmlinuz(), root, "vmlinuz-", w.file(ArtefactDirectory.VMLINUZ));
            copyBootFile(like == null ? null : like.initramfs(), root, "initrd.img-", w.file(ArtefactDirectory.INITRAMFS));
            Manifest m = new Manifest(1, name, version,
                    base == null ? "debian12" : base.profile(),
                    base == null ? "unknown" : base.kernelVersion(),
                    base == null ? "" : base.kernelCmdline(),
                    base == null ? List.of() : base.packages(),
                    new Manifest.Rootfs(rootfsName, r.tarSha256(), r.tarSize(), r.compressedSha256(), r.compressedSize()),
                    index,
                    base == null ? java.util.Map.of() : base.stages(),
                    base == null ? "bench" : base.builderImageId(),
                    base == null ? null : base.spec(),
                    base == null ? List.of() : base.capabilityChanges(),
                    "bench",
                    Instant.now().toString(),
                    null,
                    null);
            ArtefactDirectory done = w.commit(m);
            System.out.printf("artefact %s: %d entries, %d tar bytes, %d stored%n", done.dir(), r.entries(), r.tarSize(),
                    r.compressedSize());
        }
    }

    private static void copyBootFile(Path fromArtefact, Path root, String prefix, Path to) throws Exception {
        Path from = fromArtefact;
        if (from == null && Files.isDirectory(root.resolve("boot"))) {
            try (var s = Files.list(root.resolve("boot"))) {
                from = s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p))
                        .sorted().reduce((a, b) -> b).orElse(null);
            }
        }
        if (from != null) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        } else {
            Files.writeString(to, "bench placeholder: the root has no " + prefix + "* in /boot\n");
        }
    }
}

package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileEntry;
import io.rocluster.archive.PackOptions;
import io.rocluster.archive.PackResult;
import io.rocluster.archive.RootfsPacker;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.ArtefactWriter;
import io.rocluster.artefact.Manifest.PackageVersion;
import io.rocluster.container.BuilderContainer;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The last step: lists the image's packages (50-collect.sh), takes the boot files out of {@code /build/out},
 * and streams {@code /build/root} through the Docker archive API straight into the deterministic rootfs
 * writer: no copy of the tree on the host, memory bounded whatever the root's size. Not cached: its output
 * is the artefact itself.
 */
final class CollectStep {

    static final String NAME = "collect";

    /**
     * What collect found.
     *
     * @param rootfs            the rootfs tarball's digests and sizes
     * @param files             the per-file index, in tar order
     * @param kernelVersion     the image's kernel release
     * @param packages          installed packages
     * @param capabilityChanges files whose capabilities the readonly stage turned into setuid root
     * @param sourceDateEpoch   the time every mtime was clamped to, as the readonly stage decided it
     */
    record Collected(PackResult rootfs, List<FileEntry> files, String kernelVersion, List<PackageVersion> packages,
            List<String> capabilityChanges, long sourceDateEpoch) {}

    private CollectStep() {}

    static StageInput input(BuildContext context) throws IOException {
        String script = "50-collect.sh";
        return new StageInput(NAME, script, new StageFiles().script(context.profileStages(), script).toTar(), Map.of());
    }

    static Collected run(BuilderContainer container, ArtefactWriter writer, String rootfsName, BuildListener listener)
            throws IOException {
        Map<String, byte[]> small = new java.util.HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(container.streamOut("/build/out"))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName().replaceFirst("^out/", "");
                switch (name) {
                    case "vmlinuz" -> Files.copy(tar, writer.file(ArtefactDirectory.VMLINUZ), StandardCopyOption.REPLACE_EXISTING);
                    case "initramfs.img" -> Files.copy(tar, writer.file(ArtefactDirectory.INITRAMFS),
                            StandardCopyOption.REPLACE_EXISTING);
                    case "kernel-version", "packages.tsv", "capability-changes", "source-date-epoch" -> small.put(name, tar.readAllBytes());
                    default -> { }
                }
            }
        }
        for (String required : List.of("kernel-version", "packages.tsv", "source-date-epoch")) {
            if (!small.containsKey(required)) {
                throw new RoclusterException("the builder left no /build/out/" + required + ": the initramfs or collect stage is broken");
            }
        }
        String kernel = text(small.get("kernel-version")).strip();
        List<PackageVersion> packages = new ArrayList<>();
        for (String line : text(small.get("packages.tsv")).split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 3) {
                packages.add(new PackageVersion(f[0], f[1], f[2]));
            }
        }
        packages.sort(Comparator.comparing(PackageVersion::name).thenComparing(PackageVersion::arch));
        List<String> capabilityChanges = small.containsKey("capability-changes")
                ? text(small.get("capability-changes")).lines().filter(l -> !l.isBlank()).toList()
                : List.of();

        String epochLine = text(small.get("source-date-epoch")).strip();
        long epoch;
        try {
            epoch = Long.parseLong(epochLine.split("\t", 2)[0]);
        } catch (NumberFormatException e) {
            throw new RoclusterException("the readonly stage left a bad /build/out/source-date-epoch ('" + epochLine + "')");
        }
        long total = rootSize(container);
        List<FileEntry> index = new ArrayList<>();
        PackResult result;
        // Docker's stream arrives in HTTP chunks; the tar reader asks for 512-byte headers: buffer between.
        try (InputStream in = new Counting(new BufferedInputStream(container.streamOut("/build/root"), 1 << 20), total,
                listener)) {
            result = RootfsPacker.packTarStream(in, "root", writer.file(rootfsName), PackOptions.rootfs(OptionalLong.of(epoch)),
                    index::add);
        }
        return new Collected(result, index, kernel, packages, capabilityChanges, epoch);
    }

    /** SOURCE_DATE_EPOCH from the environment clamps the image's mtimes (mkosi's convention), else none. */
    static OptionalLong sourceDateEpoch() {
        String s = System.getenv("SOURCE_DATE_EPOCH");
        if (s == null || s.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            throw new RoclusterException("SOURCE_DATE_EPOCH='" + s + "' is not a number of seconds: unset it or fix it");
        }
    }

    private static long rootSize(BuilderContainer container) {
        try {
            String out = container.execChecked(List.of("du", "-sb", "/build/root"));
            return Long.parseLong(out.trim().split("\\s+")[0]);
        } catch (RuntimeException e) {
            // Only the progress bar needs it.
            return -1;
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Reports bytes read to the listener, at most every 4 MiB. */
    private static final class Counting extends FilterInputStream {
        private final long total;
        private final BuildListener listener;
        private long done;
        private long reported;

        Counting(InputStream in, long total, BuildListener listener) {
            super(in);
            this.total = total;
            this.listener = listener;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) {
            done += n;
            if (done - reported >= (4 << 20)) {
                reported = done;
                listener.streaming(done, total);
            }
        }

        @Override
        public void close() throws IOException {
            listener.streaming(done, Math.max(done, total));
            super.close();
        }
    }
}

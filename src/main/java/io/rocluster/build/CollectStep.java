package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileEntry;
import io.rocluster.archive.PackOptions;
import io.rocluster.archive.PackResult;
import io.rocluster.archive.RootfsPacker;
import io.rocluster.archive.TarEntry;
import io.rocluster.archive.TarReader;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The last step: lists the image's packages ({@link Stages#COLLECT}), takes the boot files out of
 * {@code /build/out}, and streams {@code /build/root} through the Docker archive API straight into the
 * deterministic rootfs writer: no copy of the tree on the host, memory bounded whatever the root's size. Not
 * cached: its output is the artefact itself.
 */
final class CollectStep implements BuildStep {

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

    private final StageScript script;
    private final ArtefactWriter writer;
    private final String rootfsName;
    private Collected collected;

    /**
     * @param script          the collect script ({@link Stages#COLLECT})
     * @param writer          the artefact being written: boot files and rootfs go there
     * @param rootfsName      the rootfs tarball's file name
     */
    CollectStep(StageScript script, ArtefactWriter writer, String rootfsName) {
        this.script = script;
        this.writer = writer;
        this.rootfsName = rootfsName;
    }

    @Override
    public String name() {
        return script.input().stage();
    }

    @Override
    public boolean cached() {
        return false;
    }

    @Override
    public Duration run(BuilderContainer container) throws IOException {
        Instant t0 = Instant.now();
        script.run(container, "");
        collected = collect(container);
        return Duration.between(t0, Instant.now());
    }

    /** What the step found; after {@link #run}. */
    Collected collected() {
        if (collected == null) {
            throw new IllegalStateException("collect has not run");
        }
        return collected;
    }

    private Collected collect(BuilderContainer container) throws IOException {
        Map<String, byte[]> small = new java.util.HashMap<>();
        try (TarReader tar = new TarReader(container.streamOut("/build/out"))) {
            for (TarEntry e = tar.next(); e != null; e = tar.next()) {
                String name = e.name().replaceFirst("^out/", "");
                switch (name) {
                    case "vmlinuz" -> Files.copy(tar.content(), writer.file(ArtefactDirectory.VMLINUZ),
                            StandardCopyOption.REPLACE_EXISTING);
                    case "initramfs.img" -> Files.copy(tar.content(), writer.file(ArtefactDirectory.INITRAMFS),
                            StandardCopyOption.REPLACE_EXISTING);
                    case "kernel-version", "packages.tsv", "capability-changes", "source-date-epoch" ->
                            small.put(name, tar.content().readAllBytes());
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
        List<PackageVersion> packages = packages(text(small.get("packages.tsv")));
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
                script.listener())) {
            result = RootfsPacker.packTarStream(in, "root", writer.file(rootfsName), PackOptions.rootfs(OptionalLong.of(epoch)),
                    index::add);
        }
        return new Collected(result, index, kernel, packages, capabilityChanges, epoch);
    }

    /**
     * The manifest's package list from the collect script's {@code packages.tsv}: one package per line,
     * {@code name<TAB>[epoch:]version-release<TAB>arch} (el7: rpm's query format over the image's rpmdb;
     * debian12: dpkg-query's), sorted by name and arch. A line of another shape means the script or the
     * package database is broken, so it fails the build rather than being dropped from the manifest.
     */
    static List<PackageVersion> packages(String tsv) {
        return PackageLists.parse(tsv, "the collect stage");
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

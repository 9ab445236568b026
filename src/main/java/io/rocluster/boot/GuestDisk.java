package io.rocluster.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rocluster.RoclusterException;
import io.rocluster.archive.FileTrees;
import io.rocluster.readonly.DiskLayout;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local disk of a diskful test client: a sparse raw image file partitioned and formatted with the
 * commands {@link DiskLayout} gives an administrator ({@code sfdisk} with its script, {@code mke2fs} with its
 * labels), pointed at the file instead of a device: {@code mke2fs -E offset=BYTES FILE SIZE} writes each file
 * system at its partition's offset, so neither loop devices nor root are needed. After a boot the host reads
 * files back with {@code debugfs FILE?offset=BYTES} (e2fsprogs' own offset syntax), without mounting.
 */
final class GuestDisk implements DiskfulJudge.PartitionFiles {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path file;
    final DiskLayout layout;

    private GuestDisk(Path file, DiskLayout layout) {
        this.file = file;
        this.layout = layout;
    }

    /**
     * Makes the disk image at {@code file} and checks that the partition table sfdisk wrote is the layout's.
     *
     * @throws RoclusterException when sfdisk or mke2fs is missing or fails
     */
    static GuestDisk create(Path file, DiskLayout layout) throws IOException {
        Path sfdisk = tool("sfdisk", "fdisk");
        Path mke2fs = tool("mke2fs", "e2fsprogs");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(layout.diskBytes());
        }
        List<String> partition = new ArrayList<>(DiskLayout.sfdisk());
        partition.set(0, sfdisk.toString());
        // A file has no kernel partition table to update.
        partition.addAll(List.of("--quiet", "--no-reread", "--no-tell-kernel", file.toString()));
        run(partition, layout.sfdiskScript());
        checkTable(sfdisk, file, layout);
        for (DiskLayout.Partition p : layout.partitions()) {
            List<String> mkfs = new ArrayList<>(DiskLayout.mkfs(p));
            mkfs.set(0, mke2fs.toString());
            mkfs.addAll(List.of("-q", "-F", "-E", "offset=" + p.startBytes(), file.toString(), p.sizeBytes() / 1024 + "k"));
            run(mkfs, null);
        }
        return new GuestDisk(file, layout);
    }

    /** The partitions sfdisk reports must start and end where the layout says (it would round what it cannot honour). */
    private static void checkTable(Path sfdisk, Path file, DiskLayout layout) throws IOException {
        JsonNode table = JSON.readTree(run(List.of(sfdisk.toString(), "--json", file.toString()), null))
                .path("partitiontable");
        long sector = table.path("sectorsize").asLong(512);
        JsonNode parts = table.path("partitions");
        List<String> problems = new ArrayList<>();
        if (parts.size() != layout.partitions().size()) {
            problems.add(parts.size() + " partitions, not " + layout.partitions().size());
        }
        for (int i = 0; i < Math.min(parts.size(), layout.partitions().size()); i++) {
            DiskLayout.Partition want = layout.partitions().get(i);
            JsonNode got = parts.get(i);
            long start = got.path("start").asLong() * sector;
            long size = got.path("size").asLong() * sector;
            if (start != want.startBytes() || size != want.sizeBytes() || !want.label().equals(got.path("name").asText())) {
                problems.add("partition " + want.number() + " is " + got.path("name").asText() + " at " + start + " (" + size
                        + " bytes), not " + want.label() + " at " + want.startBytes() + " (" + want.sizeBytes() + " bytes)");
            }
        }
        if (!problems.isEmpty()) {
            throw new RoclusterException("sfdisk did not lay out the test disk as rocluster's disk layout says: "
                    + String.join("; ", problems));
        }
    }

    /**
     * The content of the file {@code path} in the file system of partition {@code p}, read by debugfs; empty when
     * there is no such file.
     */
    @Override
    public Optional<String> read(DiskLayout.Partition p, String path) throws IOException {
        Path debugfs = tool("debugfs", "e2fsprogs");
        if (path.contains("\"") || path.contains("\n")) {
            return Optional.empty();
        }
        Result r = exec(List.of(debugfs.toString(), "-R", "cat \"" + path + "\"", file + "?offset=" + p.startBytes()), null);
        if (debugfsErrors(r).contains("not found by ext2_lookup")) {
            return Optional.empty();
        }
        requireDebugfsOk(r, "read " + path + " on", p);
        return Optional.of(r.stdout());
    }

    /**
     * The files of partition {@code p}'s file system (relative paths, sorted, at most {@code limit}), copied out
     * by debugfs {@code rdump} into a scratch directory and listed there.
     */
    @Override
    public List<String> files(DiskLayout.Partition p, int limit) throws IOException {
        Path debugfs = tool("debugfs", "e2fsprogs");
        Path out = Files.createTempDirectory(file.getParent(), "rdump-");
        try {
            requireDebugfsOk(exec(List.of(debugfs.toString(), "-R", "rdump / " + out, file + "?offset=" + p.startBytes()),
                    null), "list", p);
            try (Stream<Path> walk = Files.walk(out)) {
                return walk.filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS))
                        .map(f -> out.relativize(f).toString()).sorted().limit(limit).toList();
            }
        } finally {
            FileTrees.delete(out);
        }
    }

    // debugfs exits 0 whatever its request did; what went wrong is on stderr after its banner.
    private static String debugfsErrors(Result r) {
        return r.stderr().lines().filter(l -> !l.startsWith("debugfs ")).reduce((a, b) -> a + "; " + b).orElse("");
    }

    private void requireDebugfsOk(Result r, String what, DiskLayout.Partition p) {
        String errors = debugfsErrors(r);
        if (r.status() != 0 || !errors.isEmpty()) {
            throw new RoclusterException("debugfs cannot " + what + " partition " + p.number() + " (" + p.label()
                    + ") of the test disk " + file + ": " + (errors.isEmpty() ? "exit status " + r.status() : errors));
        }
    }

    private static Path tool(String name, String pkg) {
        return Executables.find(name).orElseThrow(() -> new RoclusterException("the diskful boot test needs " + name
                + " to make its test disk, and it is not installed: apt-get install " + pkg));
    }

    private record Result(int status, String stdout, String stderr) {}

    private static String run(List<String> cmd, String stdin) throws IOException {
        Result r = exec(cmd, stdin);
        if (r.status() != 0) {
            throw new RoclusterException(Path.of(cmd.get(0)).getFileName() + " failed on the test disk (exit status "
                    + r.status() + "): " + r.stderr().strip().replace('\n', ' '));
        }
        return r.stdout();
    }

    private static Result exec(List<String> cmd, String stdin) throws IOException {
        Path err = Files.createTempFile("rocluster-disk-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RoclusterException(String.join(" ", cmd) + " did not finish within " + TOOL_TIMEOUT.toSeconds() + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoclusterException("interrupted while making the test disk");
        } finally {
            Files.deleteIfExists(err);
        }
    }
}

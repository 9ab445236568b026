package io.rocluster.artefact;

import io.rocluster.archive.FileEntry;
import io.rocluster.archive.FileTrees;
import io.rocluster.archive.PackOptions;
import io.rocluster.archive.PackResult;
import io.rocluster.archive.RootfsPacker;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Assumptions;

/**
 * The one helper for tests that need artefacts quickly, in any package: a real root-like tree in a temporary
 * directory, packed by the real deterministic writer, written by the real {@link ArtefactWriter} with a
 * manifest whose spec is the repository's examples/debian12.yaml (nfs.server 10.0.2.2) or none. The
 * integration tests also use artefacts of a real {@code rocluster build} (master's RealArtefacts).
 */
public final class TestArtefacts {

    /** The mtime clamp of every artefact made here. */
    public static final long EPOCH = 1_760_000_000L;

    private TestArtefacts() {}

    /** The example spec, as a build would record it. */
    public static ImageSpec exampleSpec() {
        Path example = Path.of("examples/debian12.yaml");
        return SpecLoader.load(example);
    }

    /**
     * A tree with every kind of entry a root holds: directories with odd modes, files, a setuid binary, a
     * hardlink, symlinks (absolute and relative), a FIFO, xattrs (user.* and a binary security.capability),
     * a big file; plus {@code extraFiles} (relative path to content).
     */
    public static Path tree(Path dir, Map<String, String> extraFiles) throws Exception {
        Files.createDirectories(dir);
        mkdir(dir, "etc", "rwxr-xr-x");
        mkdir(dir, "usr/bin", "rwxr-xr-x");
        mkdir(dir, "usr/share/doc", "rwxr-xr-x");
        mkdir(dir, "var/tmp", "rwxrwxrwx");
        mkdir(dir, "proc", "r-xr-xr-x");
        mkdir(dir, "tmp", "rwxrwxrwx");
        write(dir, "etc/os-release", "ID=debian\nVERSION_ID=12\n");
        write(dir, "etc/shadow", "root:*:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(dir.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-r-----"));
        write(dir, "usr/bin/tool", "#!/bin/sh\necho tool\n");
        Files.setPosixFilePermissions(dir.resolve("usr/bin/tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
        write(dir, "usr/bin/su", "setuid binary");
        run("chmod", "4755", dir.resolve("usr/bin/su").toString());
        write(dir, "usr/bin/ping", "ping binary");
        run("setcap", "cap_net_raw+ep", dir.resolve("usr/bin/ping").toString());
        run("setfattr", "-n", "user.rocluster.test", "-v", "hello", dir.resolve("etc/os-release").toString());
        Files.createLink(dir.resolve("usr/bin/tool-again"), dir.resolve("usr/bin/tool"));
        Files.createSymbolicLink(dir.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/Etc/UTC"));
        Files.createSymbolicLink(dir.resolve("usr/bin/t"), Path.of("tool"));
        run("mkfifo", dir.resolve("var/fifo").toString());
        byte[] big = new byte[3 << 20];
        new java.util.Random(42).nextBytes(big);
        Files.write(dir.resolve("usr/share/doc/big.bin"), big);
        for (int i = 0; i < 50; i++) {
            write(dir, "usr/share/doc/file" + i + ".txt", "document " + i + "\n".repeat(i));
        }
        for (Map.Entry<String, String> e : extraFiles.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
        return dir;
    }

    /**
     * Adds {@code count} files of 4 to 68 KiB of incompressible content under usr/lib/bulk (a tree big enough
     * for a deploy to take a while); {@code changed} of them get content that differs with {@code seed}.
     */
    public static void bulk(Path root, int count, int changed, int seed) throws IOException {
        java.util.Random sizes = new java.util.Random(7);
        for (int i = 0; i < count; i++) {
            Path d = Files.createDirectories(root.resolve("usr/lib/bulk/d" + (i % 40)));
            byte[] data = new byte[4096 + sizes.nextInt(64 << 10)];
            new java.util.Random(i < changed ? seed * 1_000_003L + i : i).nextBytes(data);
            Files.write(d.resolve("f" + i + ".bin"), data);
        }
    }

    private static void mkdir(Path root, String rel, String perms) throws IOException {
        Path d = Files.createDirectories(root.resolve(rel));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(perms));
    }

    /**
     * An initramfs as dracut makes one (newc cpio, gzip, made by the real cpio and gzip) in {@code dir}: the
     * given dracut {@code modules.txt}, the nfsroot cmdline hook if {@code hook}, and empty kernel modules at
     * {@code modulePaths} under {@code usr/lib/modules/<kernelVersion>/}. Skips the test without cpio.
     */
    public static Path initramfs(Path dir, String kernelVersion, String modulesTxt, boolean hook, String... modulePaths)
            throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/cpio")), "cpio not installed");
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("usr/lib/dracut/hooks/cmdline"));
        Files.writeString(root.resolve("usr/lib/dracut/modules.txt"), modulesTxt);
        if (hook) {
            Files.writeString(root.resolve("usr/lib/dracut/hooks/cmdline/90-parse-nfsroot.sh"), "#!/bin/sh\n");
        }
        for (String m : modulePaths) {
            Path p = root.resolve("usr/lib/modules/" + kernelVersion + "/" + m);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "module");
        }
        Path out = dir.resolve("initramfs.img");
        run("sh", "-c", "cd '" + root + "' && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n > '" + out + "'");
        return out;
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(Sha256Sums.newDigest().digest(data));
    }

    private static void write(Path root, String rel, String text) throws IOException {
        Files.writeString(root.resolve(rel), text);
    }

    public static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Packs {@code tree} as artefact {@code test/<version>} in {@code store}, with the given spec. */
    public static ArtefactDirectory artefact(Path store, String version, Path tree, ImageSpec spec) throws Exception {
        return artefact(new ArtefactStore(store), "test", version, tree, spec, null);
    }

    /** {@link #artefact(Path, String, Path, ImageSpec)} with the example spec. */
    public static ArtefactDirectory artefact(Path store, String version, Path tree) throws Exception {
        return artefact(store, version, tree, exampleSpec());
    }

    /**
     * A small artefact {@code name/version} in {@code store}, for tests of the artefact directory itself: two
     * files under etc/, one with a user and a binary {@code security.capability} attribute; no spec.
     */
    public static ArtefactDirectory small(ArtefactStore store, String name, String version) throws Exception {
        return small(store, name, version, null);
    }

    /** {@link #small(ArtefactStore, String, String)} with {@code initramfs} as its initramfs.img (else a text). */
    public static ArtefactDirectory small(ArtefactStore store, String name, String version, Path initramfs)
            throws Exception {
        Path tree = Files.createTempDirectory("rocluster-small-artefact");
        try {
            Files.createDirectories(tree.resolve("etc"));
            write(tree, "etc/hostname", "node\n");
            write(tree, "etc/motd", "hello\n");
            run("setfattr", "-n", "user.b", "-v", "b", tree.resolve("etc/hostname").toString());
            run("setcap", "cap_net_raw+ep", tree.resolve("etc/hostname").toString());
            return artefact(store, name, version, tree, null, initramfs);
        } finally {
            FileTrees.delete(tree);
        }
    }

    private static ArtefactDirectory artefact(ArtefactStore store, String name, String version, Path tree,
            ImageSpec spec, Path initramfs) throws Exception {
        List<FileEntry> index = new ArrayList<>();
        try (ArtefactWriter w = ArtefactWriter.create(store, name, version)) {
            String rootfsName = ArtefactDirectory.rootfsFileName(name, version);
            PackResult r = RootfsPacker.packDirectory(tree, w.file(rootfsName),
                    PackOptions.rootfs(OptionalLong.of(EPOCH)), index::add);
            Files.writeString(w.file(ArtefactDirectory.VMLINUZ), "kernel of " + version);
            if (initramfs == null) {
                Files.writeString(w.file(ArtefactDirectory.INITRAMFS), "initramfs of " + version);
            } else {
                Files.copy(initramfs, w.file(ArtefactDirectory.INITRAMFS));
            }
            Files.writeString(w.file(ArtefactDirectory.BUILD_LOG), "built by TestArtefacts\n");
            Manifest m = new Manifest(1, name, version, "debian12", "6.1.0-test-amd64", "console=ttyS0",
                    List.of(new Manifest.PackageVersion("base-files", "12.4", "amd64")),
                    new Manifest.Rootfs(rootfsName, r.tarSha256(), r.tarSize(), r.compressedSha256(), r.compressedSize()),
                    index, Map.of("bootstrap", "0".repeat(64)), "sha256:test", spec, List.of(), "test",
                    FileTime.fromMillis(EPOCH * 1000).toString(), EPOCH, null);
            return w.commit(m);
        }
    }
}

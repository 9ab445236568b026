package io.rocluster.artefact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtefactWriterTest {

    @TempDir
    Path tmp;

    @Test
    void sumsCoverEveryOtherFileInSha256sumFormat() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");

        String sums = Files.readString(a.dir().resolve(Sha256Sums.FILE_NAME));
        assertThat(sums.lines().map(l -> l.substring(66)))
                .containsExactly("build.log", "img-1.0.rootfs.tar.zst", "initramfs.img", "manifest.json", "vmlinuz");
        assertThat(sums.lines()).allMatch(l -> l.matches("[0-9a-f]{64}  \\S+"));
    }

    @Test
    void sha256sumItselfAcceptsTheFile() throws Exception {
        Path tool = Path.of("/usr/bin/sha256sum");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(tool), "GNU sha256sum not installed");
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");

        Process p = new ProcessBuilder(tool.toString(), "-c", "--strict", Sha256Sums.FILE_NAME)
                .directory(a.dir().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("vmlinuz: OK", "img-1.0.rootfs.tar.zst: OK");
    }

    @Test
    void anExistingVersionIsNeverOverwritten() throws Exception {
        ArtefactStore store = new ArtefactStore(tmp);
        TestArtefacts.small(store, "img", "1.0");

        assertThatThrownBy(() -> ArtefactWriter.create(store, "img", "1.0"))
                .isInstanceOf(RoclusterException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void anUncommittedWriterLeavesNothing() throws Exception {
        ArtefactStore store = new ArtefactStore(tmp);
        try (ArtefactWriter w = ArtefactWriter.create(store, "img", "2.0")) {
            Files.writeString(w.file("vmlinuz"), "half");
        }

        try (Stream<Path> s = Files.list(tmp.resolve("img"))) {
            assertThat(s).isEmpty();
        }
        assertThat(store.versions("img")).isEmpty();
    }

    @Test
    void stagingOfADeadProcessIsRemovedButALiveOneIsKept() throws Exception {
        Path img = Files.createDirectories(tmp.resolve("img"));
        // pid 2^22+1 is above Linux's pid_max limit, so no such process can exist.
        Path dead = Files.createDirectories(img.resolve(".incoming-0.9-4194305"));
        // pid 1 (init) is always alive.
        Path live = Files.createDirectories(img.resolve(".incoming-0.8-1"));
        // This process's pid, but no writer of this process has it open: left by a dead process whose pid came back.
        Path reused = Files.createDirectories(img.resolve(".incoming-0.7-" + ProcessHandle.current().pid()));

        try (ArtefactWriter w = ArtefactWriter.create(new ArtefactStore(tmp), "img", "1.0")) {
            assertThat(dead).doesNotExist();
            assertThat(reused).doesNotExist();
            assertThat(live).exists();
        }
    }

    @Test
    void aVersionBeingWrittenIsRefusedUpFrontNotOverwritten() throws Exception {
        ArtefactStore store = new ArtefactStore(tmp);
        try (ArtefactWriter first = ArtefactWriter.create(store, "img", "3.0")) {
            Files.writeString(first.file("vmlinuz"), "first");

            assertThatThrownBy(() -> ArtefactWriter.create(store, "img", "3.0"))
                    .isInstanceOf(RoclusterException.class)
                    .hasMessage(tmp.resolve("img/3.0") + " is being written by another rocluster (process "
                            + ProcessHandle.current().pid() + "): wait for it to finish, or pass another --version"
                            + " or --nightly");
            // Before, the second writer deleted the first one's staging directory and started over in it.
            assertThat(first.file("vmlinuz")).hasContent("first");
        }
    }

    @Test
    void nightlyWritersStartedTogetherGetDistinctVersions() throws Exception {
        ArtefactStore store = new ArtefactStore(tmp);
        java.time.LocalDate day = java.time.LocalDate.of(2026, 12, 1);
        int n = 8;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(n);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.List<ArtefactWriter> writers = new java.util.ArrayList<>();
        try {
            java.util.List<java.util.concurrent.Future<ArtefactWriter>> started = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                started.add(pool.submit(() -> {
                    together.await();
                    return ArtefactWriter.createNightly(store, "img", day);
                }));
            }
            for (java.util.concurrent.Future<ArtefactWriter> f : started) {
                writers.add(f.get());
            }

            assertThat(writers).extracting(ArtefactWriter::version).containsExactlyInAnyOrder("2026.12.01.1",
                    "2026.12.01.2", "2026.12.01.3", "2026.12.01.4", "2026.12.01.5", "2026.12.01.6", "2026.12.01.7",
                    "2026.12.01.8");
        } finally {
            pool.shutdownNow();
            for (ArtefactWriter w : writers) {
                w.close();
            }
        }
        try (Stream<Path> s = Files.list(tmp.resolve("img"))) {
            assertThat(s).as("closed writers leave nothing, not even a lock file").isEmpty();
        }
    }

    @Test
    void manifestRoundTrips() throws Exception {
        ArtefactDirectory a = TestArtefacts.small(new ArtefactStore(tmp), "img", "1.0");

        Manifest read = ManifestJson.read(a.dir().resolve(ArtefactDirectory.MANIFEST));

        assertThat(read).isEqualTo(a.manifest());
        // Binary xattr values survive the round trip: base64 in JSON, the same bytes back.
        FileEntry hostname = read.files().stream().filter(f -> f.path().equals("etc/hostname")).findFirst().orElseThrow();
        assertThat(hostname.xattrs()).containsEntry("user.b", "Yg==").containsKey("security.capability");
        assertThat(ManifestJson.toBytes(read)).isEqualTo(Files.readAllBytes(a.dir().resolve("manifest.json")));
    }
}

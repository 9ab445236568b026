package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileTrees;
import io.rocluster.artefact.ArtefactDirectory;
import io.rocluster.artefact.TestArtefacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy onto a master on a real small file system (a tmpfs mounted for the test; needs root, as the other
 * master ITs do): too small, filling up half-way (out of inodes), and read-only. Each is one line naming the
 * file system, with nothing left behind.
 */
class MasterDiskIT {

    @TempDir
    Path tmp;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Path p : mounts) {
            TestArtefacts.run("umount", p.toString());
        }
        FileTrees.delete(tmp);
        Files.createDirectory(tmp);
    }

    /** A master on a fresh tmpfs mounted with {@code options}. */
    private MasterFixture masterOn(String name, String options) throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve(name));
        TestArtefacts.run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mnt.toString());
        mounts.add(mnt);
        return new MasterFixture(mnt);
    }

    /** An artefact of about 20 MB in 300 files (outside the small file systems). */
    private ArtefactDirectory artefact() throws Exception {
        Path tree = TestArtefacts.tree(tmp.resolve("tree"), Map.of());
        TestArtefacts.bulk(tree, 300, 0, 1);
        return TestArtefacts.artefact(tmp.resolve("out"), "1.0", tree);
    }

    private static String refused(MasterFixture m, ArtefactDirectory a) throws Exception {
        String before = TreeHash.of(m.layout.root());
        Throwable t = catchThrowable(() -> new DeployService(m.layout, m.notices).deploy(a.dir(), null));
        assertThat(t).isInstanceOf(RoclusterException.class);
        assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("Exception");
        assertThat(TreeHash.of(m.layout.root())).as("master after: " + t.getMessage()).isEqualTo(before);
        System.out.println("refused: rocluster: " + t.getMessage());
        return t.getMessage();
    }

    @Test
    void aFileSystemTooSmallIsRefusedBeforeUnpacking() throws Exception {
        ArtefactDirectory a = artefact();
        MasterFixture m = masterOn("small", "size=12m");
        assertThat(refused(m, a)).startsWith("not enough space on " + tmp.resolve("small") + " (tmpfs) for version 1.0:"
                + " it needs about ").contains("MiB are free: free some with rocluster gc, or put the master on a bigger disk");
    }

    @Test
    void aFileSystemFillingUpHalfWayLeavesNothingBehind() throws Exception {
        ArtefactDirectory a = artefact();
        // Space for the data, not inodes for all the files: the disk fills up in the middle of unpacking.
        MasterFixture m = masterOn("inodes", "size=64m,nr_inodes=250");
        assertThat(refused(m, a)).startsWith(tmp.resolve("inodes") + " (tmpfs) filled up during deploying 1.0 (it needs about ")
                .contains("nothing was left behind): free space with rocluster gc, or put the master on another disk");
        try (var s = Files.list(m.layout.images())) {
            assertThat(s.toList()).isEmpty();
        }
        // Room again: the same artefact deploys.
        TestArtefacts.run("mount", "-o", "remount,nr_inodes=2000", tmp.resolve("inodes").toString());
        assertThat(new DeployService(m.layout, m.notices).deploy(a.dir(), null).changed()).isTrue();
    }

    @Test
    void aReadOnlyMasterIsOneLine() throws Exception {
        ArtefactDirectory a = artefact();
        MasterFixture m = masterOn("ro", "size=64m");
        TestArtefacts.run("mount", "-o", "remount,ro", tmp.resolve("ro").toString());
        assertThat(refused(m, a)).isEqualTo(tmp.resolve("ro") + " (tmpfs) is read-only, so deploying "
                + a.dir() + " cannot be written (nothing was changed): remount it read-write, or put the master on another disk");
    }
}

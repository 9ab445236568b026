package io.rocluster.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's reproducible step, {@code stages/reproducible.sh}, run whole on small roots that hold what a
 * build leaves behind: where SOURCE_DATE_EPOCH comes from, and the dates, logs and caches it makes agree with
 * it. That two real builds then give the same bytes is BuildIT's.
 */
class ReproducibleScriptTest {

    private static final Path SCRIPT = SourceTree.locate().stages().resolve("reproducible.sh");
    /** base-files' changelog date in {@link #dpkgRoot}: Thu, 02 Jul 2026 19:05:00 UTC. */
    private static final long RELEASE = 1783019100L;

    @TempDir
    Path tmp;

    private record Run(int code, String output) {}

    @Test
    void debianEpochIsBaseFilesChangelogDateAndTheBuildsRecordsFollowIt() throws Exception {
        Path root = dpkgRoot();
        // Two accounts made on the build's day (20788 = 2026-12-01), one with an older day kept as it is.
        write(root, "etc/shadow", "root:*:20788:0:99999:7:::\n_apt:*:20788:0:99999:7:::\nold:!:19000::::::\n");
        write(root, "etc/shadow-", "root:*:20788:0:99999:7:::\n");
        write(root, "var/log/dpkg.log", "2026-12-01 10:27:01 startup archives unpack\n");
        write(root, "var/log/apt/term.log", "Log started: 2026-12-01  10:27:40\n");
        write(root, "var/log/apt/eipp.log.xz", "xz");
        write(root, "var/cache/ldconfig/aux-cache", "inodes and times");
        write(root, "var/log/README", "kept\n");
        // Another tree sharing files by hardlink (as deployed versions do): it must stay as it is.
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.createLink(other.resolve("shadow"), root.resolve("etc/shadow"));
        Files.createLink(other.resolve("dpkg.log"), root.resolve("var/log/dpkg.log"));

        Run r = run(root, "deb", null, "release");

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(Files.readString(tmp.resolve("out/source-date-epoch")))
                .isEqualTo(RELEASE + "\tpackage base-files 12.4+deb12u13\n");
        assertThat(r.output()).contains("reproducible: SOURCE_DATE_EPOCH=" + RELEASE
                + " (2026-07-02 19:05:00 UTC, package base-files 12.4+deb12u13)");
        long day = RELEASE / 86400;
        assertThat(root.resolve("etc/shadow"))
                .hasContent("root:*:" + day + ":0:99999:7:::\n_apt:*:" + day + ":0:99999:7:::\nold:!:19000::::::");
        assertThat(root.resolve("etc/shadow-")).hasContent("root:*:" + day + ":0:99999:7:::");
        assertThat(root.resolve("var/log/dpkg.log")).isEmptyFile();
        assertThat(root.resolve("var/log/apt/term.log")).isEmptyFile();
        assertThat(root.resolve("var/log/apt/eipp.log.xz")).doesNotExist();
        assertThat(root.resolve("var/cache/ldconfig/aux-cache")).doesNotExist();
        assertThat(root.resolve("var/log/README")).hasContent("kept");
        assertThat(other.resolve("shadow")).hasContent("root:*:20788:0:99999:7:::\n_apt:*:20788:0:99999:7:::\nold:!:19000::::::");
        assertThat(other.resolve("dpkg.log")).hasContent("2026-12-01 10:27:01 startup archives unpack");
    }

    @Test
    void newestPackageTakesTheNewestInstalledChangelog() throws Exception {
        Path root = dpkgRoot();

        Run r = run(root, "deb", null, "newest");

        assertThat(r.code()).as(r.output()).isZero();
        // dpkg's update (Sat, 01 Aug 2026 10:00:00 +0200), not the removed package's newer changelog.
        assertThat(Files.readString(tmp.resolve("out/source-date-epoch"))).isEqualTo("1785571200\tpackage dpkg 1.21.23\n");
    }

    @Test
    void anEpochGivenByTheBuildWinsAndStalePycWithoutPythonGo() throws Exception {
        Path root = tmp.resolve("root");
        write(root, "usr/lib/python3/dist-packages/m/new.py", "x = 1\n");
        write(root, "usr/lib/python3/dist-packages/m/__pycache__/new.cpython-311.pyc", pyc(0));
        write(root, "usr/lib/python3/dist-packages/m/old.py", "y = 2\n");
        write(root, "usr/lib/python3/dist-packages/m/__pycache__/old.cpython-311.pyc", pyc(0));
        write(root, "usr/lib/python3/dist-packages/m/hashed.py", "z = 3\n");
        write(root, "usr/lib/python3/dist-packages/m/__pycache__/hashed.cpython-311.pyc", pyc(3));
        Files.setLastModifiedTime(root.resolve("usr/lib/python3/dist-packages/m/old.py"),
                FileTime.fromMillis(1_600_000_000_000L));
        // Python stats a source through its symlink: a link to new.py is stale as new.py is, one to old.py
        // (absolute: the image's /usr, not the builder's) is not.
        Path m = root.resolve("usr/lib/python3/dist-packages/m");
        Files.createSymbolicLink(m.resolve("new_link.py"), Path.of("new.py"));
        write(root, "usr/lib/python3/dist-packages/m/__pycache__/new_link.cpython-311.pyc", pyc(0));
        Files.createSymbolicLink(m.resolve("old_link.py"), Path.of("/usr/lib/python3/dist-packages/m/old.py"));
        write(root, "usr/lib/python3/dist-packages/m/__pycache__/old_link.cpython-311.pyc", pyc(0));
        // A day before the given date: nothing to clamp.
        write(root, "etc/shadow", "root:*:18000:0:99999:7:::\n");

        Run r = run(root, "deb", "1700000000", "release");

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(Files.readString(tmp.resolve("out/source-date-epoch"))).isEqualTo("1700000000\tgiven\n");
        // new.py (written now) is newer than the epoch: clamping changes its mtime, its .pyc would be stale.
        assertThat(root.resolve("usr/lib/python3/dist-packages/m/__pycache__/new.cpython-311.pyc")).doesNotExist();
        assertThat(root.resolve("usr/lib/python3/dist-packages/m/__pycache__/old.cpython-311.pyc")).exists();
        assertThat(m.resolve("__pycache__/new_link.cpython-311.pyc")).doesNotExist();
        assertThat(m.resolve("__pycache__/old_link.cpython-311.pyc")).exists();
        // A hash-based .pyc does not depend on its source's mtime.
        assertThat(root.resolve("usr/lib/python3/dist-packages/m/__pycache__/hashed.cpython-311.pyc")).exists();
        assertThat(r.output()).contains("reproducible: 2 Python modules newer than SOURCE_DATE_EPOCH and no python3 in"
                + " the image: their .pyc removed");
        assertThat(root.resolve("etc/shadow")).hasContent("root:*:18000:0:99999:7:::");
    }

    @Test
    void noPackageDateAndNoGivenEpochIsAnError() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));

        Run r = run(root, "deb", null, "release");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).contains("reproducible: the installed packages record no build date for"
                + " SOURCE_DATE_EPOCH: set sourceDateEpoch in the spec");
        assertThat(tmp.resolve("out/source-date-epoch")).doesNotExist();
    }

    @Test
    void aGivenEpochThatIsNotANumberIsAnError() throws Exception {
        Run r = run(Files.createDirectories(tmp.resolve("root")), "deb", "yesterday", "release");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).contains("SOURCE_DATE_EPOCH='yesterday' is not a number of seconds");
    }

    /** A .pyc header (PEP 552): magic, flags, then 8 bytes of mtime and size or hash. */
    private static String pyc(int flags) {
        return "\u00a7\r\r\n" + (char) flags + "\0\0\0" + "\0".repeat(8) + "code";
    }

    /**
     * dpkg's record of three installed packages and one removed, with changelogs: base-files (the point release),
     * dpkg updated after it (2026-08-01 08:00 UTC), a removed package's newer changelog left behind, and an
     * installed package without one.
     */
    private Path dpkgRoot() throws IOException {
        Path root = tmp.resolve("root");
        write(root, "var/lib/dpkg/status", """
                Package: base-files
                Status: install ok installed
                Version: 12.4+deb12u13

                Package: dpkg
                Status: install ok installed
                Version: 1.21.23

                Package: gone
                Status: deinstall ok config-files
                Version: 1.0

                Package: nodoc
                Status: install ok installed
                Version: 2
                """);
        changelog(root, "base-files/changelog.gz", "Thu, 02 Jul 2026 19:05:00 +0000");
        changelog(root, "dpkg/changelog.Debian.gz", "Sat, 01 Aug 2026 10:00:00 +0200");
        changelog(root, "gone/changelog.Debian.gz", "Fri, 01 Jan 2027 00:00:00 +0000");
        return root;
    }

    private static void changelog(Path root, String path, String date) throws IOException {
        Path f = root.resolve("usr/share/doc").resolve(path);
        Files.createDirectories(f.getParent());
        String text = "pkg (1) unstable; urgency=medium\n\n  * Change.\n\n -- Some One <one@example.org>  " + date
                + "\n\npkg (0) unstable; urgency=medium\n\n  * First.\n\n -- Some One <one@example.org>  "
                + "Mon, 01 Jan 2001 00:00:00 +0000\n";
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path f = root.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.ISO_8859_1);
    }

    private Run run(Path root, String packaging, String sourceDateEpoch, String from) throws Exception {
        Path log = tmp.resolve("log");
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("ROOT", root.toString());
        env.put("OUT", tmp.resolve("out").toString());
        env.put("ROCLUSTER_PACKAGING", packaging);
        env.put("ROCLUSTER_EPOCH_FROM", from);
        env.put("SOURCE_DATE_EPOCH", sourceDateEpoch == null ? "" : sourceDateEpoch);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("reproducible.sh finished").isTrue();
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}

package io.rocluster.build;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real CentOS 7.9 userland of {@code ../shared/fixtures/el7/} (152 unmodified CentOS RPMs with a real
 * BerkeleyDB rpmdb; its README says what it holds and lacks), for the el7 tests: found beside the checkout,
 * imported once as a Docker image, extracted once per test JVM, copied for each test that changes a root.
 *
 * <p>Where it is: system property {@code rocluster.fixture.el7} or environment variable
 * {@code ROCLUSTER_FIXTURE_EL7}, else {@code ../shared/fixtures/el7} beside the project's base directory (CI
 * clones the project beside {@code ../shared}). A fixture that is missing where it should be — an override
 * that points nowhere, a {@code ../shared} without it, any run with {@code CI} set — fails the test with a
 * message saying where it was looked for: a skip there would hide exactly what these tests exist for. Only a
 * checkout with no {@code ../shared} at all (someone cloned the project alone) skips, printing why.
 */
public final class El7Fixture {

    /** The image the fixture is imported as (the name its README uses). */
    public static final String IMAGE = "rocluster-el7-userland:7.9";
    /** Label of that image: the tarball's SHA-256, so a changed fixture is imported again. */
    static final String DIGEST_LABEL = "io.rocluster.fixture.sha256";
    static final String TARBALL = "centos-7.9-userland.tar.xz";

    private static El7Fixture instance;

    private final Path dir;
    private final Map<String, Applied> applied = new HashMap<>();
    private String image;
    private Path work;
    private Path root;
    private Map<String, String> pristine;

    private El7Fixture(Path dir) {
        this.dir = dir;
    }

    /** The fixture, or a failed (or, outside a checkout with ../shared, skipped) test saying why. */
    public static synchronized El7Fixture get() {
        if (instance == null) {
            instance = new El7Fixture(locate());
        }
        return instance;
    }

    private static Path locate() {
        String override = System.getProperty("rocluster.fixture.el7", System.getenv("ROCLUSTER_FIXTURE_EL7"));
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(dir.resolve(TARBALL))) {
                fail("the el7 fixture is missing: " + dir.resolve(TARBALL) + " does not exist (rocluster.fixture.el7 /"
                        + " ROCLUSTER_FIXTURE_EL7 point there); point them at the directory holding " + TARBALL);
            }
            return dir;
        }
        Path shared = SourceTree.locate().root().resolveSibling("shared");
        Path dir = shared.resolve("fixtures/el7");
        if (Files.isRegularFile(dir.resolve(TARBALL))) {
            return dir;
        }
        String ci = System.getenv("CI");
        if (Files.isDirectory(shared) || (ci != null && !ci.isBlank())) {
            fail("the el7 fixture is missing: expected " + dir.resolve(TARBALL) + " (../shared/fixtures/el7 beside the"
                    + " checkout, as CI has it); restore it, or set -Drocluster.fixture.el7=DIR or ROCLUSTER_FIXTURE_EL7");
        }
        String reason = "el7 fixture tests skipped: no " + shared + " beside this checkout (the fixture lives in"
                + " ../shared/fixtures/el7; set -Drocluster.fixture.el7=DIR to use a copy elsewhere)";
        System.out.println(reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    /** The fixture's directory (README.md, the tarball, rpms.tsv). */
    public Path directory() {
        return dir;
    }

    /** The RPMs the fixture was made from, as file names ({@code bash-4.2.46-34.el7.x86_64.rpm}). */
    public List<String> rpmFiles() throws IOException {
        return Files.readAllLines(dir.resolve("rpms.tsv")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("\t")[2])
                .toList();
    }

    /**
     * The fixture as a Docker image: imported once (about 5 s) and reused while its label still names the
     * tarball's digest.
     */
    public synchronized String image() throws IOException {
        if (image != null) {
            return image;
        }
        String digest = digest("SHA-256", dir.resolve(TARBALL));
        Docker.Run inspect = Docker.run(60, "image", "inspect", "-f", "{{ index .Config.Labels \"" + DIGEST_LABEL + "\" }}",
                IMAGE);
        if (inspect.code() != 0 || !inspect.output().strip().equals(digest)) {
            Docker.Run imported = Docker.run(600, "import", "--change", "LABEL " + DIGEST_LABEL + "=" + digest,
                    dir.resolve(TARBALL).toString(), IMAGE);
            if (imported.code() != 0) {
                fail("docker import of " + dir.resolve(TARBALL) + " failed: " + imported.output());
            }
        }
        image = IMAGE;
        return image;
    }

    /**
     * The fixture's root, extracted once per JVM with GNU tar (as a user would) into
     * {@code target/el7-fixture/}, which the first use in a JVM empties (deleting a few copies of a 185 MB root
     * takes too long for an exit hook on a loaded machine; {@code mvn clean} removes it too). Shared: never
     * change it; take a {@link #copyRoot copy}.
     */
    public synchronized Path root() throws IOException {
        if (root != null) {
            return root;
        }
        work = SourceTree.locate().root().resolve("target/el7-fixture");
        run(600, "rm", "-rf", work.toString());
        Path r = Files.createDirectories(work.resolve("root"));
        run(600, "tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-C", r.toString(), "-xpJf",
                dir.resolve(TARBALL).toString());
        // Without ctimes: each hardlinked copy moves them (the link count changes).
        pristine = withoutCtimes(metadata(r));
        root = r;
        return root;
    }

    private static Map<String, String> withoutCtimes(Map<String, String> metadata) {
        Map<String, String> out = new TreeMap<>();
        metadata.forEach((k, v) -> out.put(k, v.replaceAll(" ctime=\\S+", "")));
        return out;
    }

    /** A new, empty directory under the fixture's work directory. */
    public Path newDirectory(String prefix) throws IOException {
        root();
        return Files.createTempDirectory(work, prefix);
    }

    /**
     * A copy of the fixture's root at {@code dest} (which must not exist), to change, with what a running
     * system leaves in /var/log besides the packages: yum's log and auditd's (/var/log is in rwtab and
     * statetab, /var/log/audit/audit.log in EL7's stock rwtab, so their copies show the rules at work).
     */
    public Path copyRoot(Path dest) throws IOException {
        // Hardlinks: a copy in a second, not five. Safe because nothing here writes a file in place (the stage
        // script renames new files over old ones, the client boots see the root read-only); checked each time.
        if (!withoutCtimes(metadata(root())).equals(pristine)) {
            fail("the fixture's shared root at " + root + " was changed through a hardlinked copy: some test or"
                    + " script wrote a file in place");
        }
        run(600, "cp", "-al", root.toString(), dest.toString());
        Files.writeString(dest.resolve("var/log/yum.log"), "Dec 01 08:51:00 Installed: initscripts-9.49.53-1.el7.x86_64\n");
        Path audit = Files.createDirectory(dest.resolve("var/log/audit"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(audit.resolve("audit.log"), "type=DAEMON_START msg=audit(1733043060.000:1): op=start\n");
        Files.setPosixFilePermissions(audit.resolve("audit.log"), PosixFilePermissions.fromString("rw-------"));
        return dest;
    }

    /**
     * {@code rocluster apply examples/<example>.yaml} on a copy of the root, done once per JVM and shared by the
     * tests that look at it (apply's own, and the read-only root tests that boot it): a dry run first, then the
     * run, then a second run.
     */
    public Applied applied(String example) throws IOException {
        return applied(example, Path.of("examples", example + ".yaml"), yaml -> yaml);
    }

    /**
     * As {@link #applied(String)}, for a variant of a spec: {@code edit} turns the text of {@code base} into
     * configuration {@code name}'s.
     */
    public synchronized Applied applied(String name, Path base, java.util.function.UnaryOperator<String> edit)
            throws IOException {
        Applied a = applied.get(name);
        if (a == null) {
            Path work = newDirectory("applied-");
            Path copy = copyRoot(work.resolve("root"));
            Path spec = base;
            String text = Files.readString(base);
            if (!edit.apply(text).equals(text)) {
                spec = work.resolve(name + ".yaml");
                Files.writeString(spec, edit.apply(text));
            }
            Map<String, String> pristine = metadata(copy);
            List<String> dryLines = new ArrayList<>();
            ApplyService.Result dry = new ApplyService().apply(spec, copy, true, dryLines::add);
            boolean untouched = metadata(copy).equals(pristine);
            List<String> lines = new ArrayList<>();
            ApplyService.Result first = new ApplyService().apply(spec, copy, false, lines::add);
            List<String> againLines = new ArrayList<>();
            ApplyService.Result again = new ApplyService().apply(spec, copy, false, againLines::add);
            a = new Applied(copy, spec, new Run(dry, dryLines), untouched, new Run(first, lines), new Run(again, againLines));
            applied.put(name, a);
        }
        return a;
    }

    /** One apply: its result and the lines it printed. */
    public record Run(ApplyService.Result result, List<String> lines) {}

    /**
     * A root apply was run on, thrice.
     *
     * @param root             the applied root; shared, never change it
     * @param spec             the example spec
     * @param dryRun           the dry run on the fresh copy
     * @param dryRunUntouched  whether the tree was the same after it (names, inodes, ctimes, contents' sizes)
     * @param first            the run
     * @param again            the second run
     */
    public record Applied(Path root, Path spec, Run dryRun, boolean dryRunUntouched, Run first, Run again) {}

    /**
     * Every path's type, mode, owner, size, link target, inode number, mtime and ctime, without reading contents:
     * equal before and after means nothing was written, since any write, rename or chmod moves the ctime or
     * the inode.
     */
    public static Map<String, String> metadata(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,ino,lastModifiedTime,ctime",
                        LinkOption.NOFOLLOW_LINKS);
                out.put(root.relativize(p).toString(), Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid")
                        + ":" + a.get("gid") + " " + a.get("size") + " ino=" + a.get("ino") + " mtime="
                        + a.get("lastModifiedTime") + " ctime=" + a.get("ctime")
                        + (Files.isSymbolicLink(p) ? " -> " + Files.readSymbolicLink(p) : ""));
            }
        }
        return out;
    }

    private static String run(int seconds, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
        return out;
    }

    /** The {@code algorithm} digest (MD5, SHA-256) of a file's content, in hex. */
    public static String digest(String algorithm, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    /**
     * The docker CLI, as a user runs the fixture (its README's commands). Containers get a unique name, so one
     * that outlives its timeout is removed by name, never by a broad pattern.
     */
    public static final class Docker {

        private Docker() {}

        /** Exit code and output (stdout and stderr together). */
        public record Run(int code, String output) {
            /** The output's lines. */
            public List<String> lines() {
                return output.lines().toList();
            }
        }

        /** Runs {@code docker ARGS…}, waiting at most {@code seconds}. */
        public static Run run(int seconds, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add("docker");
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[][] out = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            });
            reader.start();
            try {
                boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly();
                }
                reader.join(10_000);
                String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
                if (!done) {
                    throw new IOException("docker " + String.join(" ", args) + " did not finish in " + seconds + " s: " + text);
                }
                return new Run(p.exitValue(), text);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: docker " + String.join(" ", args));
            }
        }

        /**
         * {@code docker run --rm --name <unique> OPTIONS… IMAGE COMMAND…}: a container that starts in well under a
         * second; removed by its name if it overruns.
         */
        public static Run container(int seconds, List<String> options, String image, String... command) throws IOException {
            String name = "rocluster-el7-it-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--name", name));
            args.addAll(options);
            args.add(image);
            args.addAll(List.of(command));
            try {
                return run(seconds, args.toArray(String[]::new));
            } catch (IOException e) {
                run(60, "rm", "-f", name);
                throw e;
            }
        }
    }
}

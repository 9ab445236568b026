package io.rocluster.readonly;

import io.rocluster.build.El7Fixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a client should see after EL7's read-only root service, worked out from a client root's own files by
 * the rules of initscripts 9.49 (FACTS.md "EL7 read-only root"), independently of any implementation: the
 * expectation the real rhel-readonly is held to in {@link RhelReadonlyIT}.
 *
 * <ul>
 *   <li>rwtab: /etc/rwtab then /etc/rwtab.d/* (in name order, editor and rpm leftovers ignored), lines
 *       {@code dirs|empty|files PATH}; a path the image lacks is skipped. Each is copied into the RW area
 *       ({@code empty}: the entry itself, {@code dirs}: every directory of the tree, no files, {@code files}:
 *       the whole tree, as {@code cp -a}), then every entry not below another is bind-mounted from it.</li>
 *   <li>statetab: /etc/statetab then /etc/statetab.d/*, paths split on whitespace, lines starting with # left
 *       out; each existing path is seeded into the state area by copy on first use, then bind-mounted from it,
 *       over whatever rwtab put there.</li>
 * </ul>
 *
 * Listings are lines {@code TYPE MODE RELPATH [MD5]} as the client probe prints them ({@code find -printf '%y %m %P'},
 * md5 of regular files), sorted.
 */
final class RhelReadonlyModel {

    /** One rwtab line. */
    record Entry(String kind, String path) {}

    /** A path in the RW area: its listing fields. */
    private record Node(String type, String mode, String md5) {}

    private final Path root;

    RhelReadonlyModel(Path root) {
        this.root = root;
    }

    /** The rwtab entries, in the order rhel-readonly reads them. */
    List<Entry> rwtab() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (Path f : tabFiles("rwtab")) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] w = line.strip().split("\\s+", 2);
                if (w.length == 2 && List.of("dirs", "empty", "files").contains(w[0])) {
                    out.add(new Entry(w[0], w[1].strip()));
                }
            }
        }
        return out;
    }

    /** The rwtab entries whose path the image has (the others are skipped). */
    List<Entry> presentRwtab() throws IOException {
        return rwtab().stream().filter(e -> exists(e.path())).toList();
    }

    /** The statetab paths the image has, in order. */
    List<String> statetab() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : tabFiles("statetab")) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.startsWith("#")) {
                    Arrays.stream(line.strip().split("\\s+")).filter(p -> !p.isEmpty() && exists(p)).forEach(out::add);
                }
            }
        }
        return out;
    }

    /** rwtab paths bind-mounted: every present entry not below another one (a repeated entry is bound again). */
    List<String> rwtabMounts() throws IOException {
        List<String> paths = presentRwtab().stream().map(e -> strip(e.path())).toList();
        return paths.stream().filter(m -> paths.stream().noneMatch(o -> !o.equals(m) && m.startsWith(o + "/"))).toList();
    }

    /** Whether {@code path} is {@code other} or below it. */
    static boolean within(String path, String other) {
        return path.equals(other) || path.startsWith(other + "/");
    }

    /** What the client sees under rwtab path {@code path}: the RW area's copy of it. */
    List<String> rwtabView(String path) throws IOException {
        Map<String, Node> area = rwArea();
        List<String> out = new ArrayList<>();
        area.forEach((p, n) -> {
            if (within(p, path)) {
                out.add(line(n, p.equals(path) ? "" : p.substring(path.length() + 1)));
            }
        });
        return out.stream().sorted().toList();
    }

    /**
     * The whole RW area, relative to RW_MOUNT, without the directories made only as parents of entries (by
     * {@code cpio -d} and {@code cp --parents}, whose modes are theirs, not initscripts' rules).
     */
    List<String> rwAreaListing() throws IOException {
        List<String> out = new ArrayList<>();
        rwArea().forEach((p, n) -> out.add(line(n, p.substring(1))));
        return withoutParents(out);
    }

    /** {@code listing} (lines relative to RW_MOUNT) without the lines of directories that are only parents of entries. */
    List<String> withoutParents(List<String> listing) throws IOException {
        List<String> entries = presentRwtab().stream().map(e -> strip(e.path())).toList();
        return listing.stream().filter(l -> {
            String rel = l.split(" ", -1)[2];
            String path = "/" + rel;
            return entries.stream().anyMatch(e -> within(path, e));
        }).sorted().toList();
    }

    /**
     * What statetab path {@code path} is seeded with on first use: a copy of what the client sees there when
     * rhel-readonly gets to it, which is the RW area's copy when an rwtab entry covers the path (EL7's stock
     * rwtab has {@code dirs /var/log}: the state area gets its directories, not its files), else the image's.
     */
    List<String> stateSeed(String path) throws IOException {
        boolean covered = rwtabMounts().stream().anyMatch(m -> within(path, m));
        return covered ? rwtabView(path) : imageTree(path);
    }

    /** The image's own tree at {@code path}. */
    List<String> imageTree(String path) throws IOException {
        List<String> out = new ArrayList<>();
        Path start = root.resolve(path.substring(1));
        try (Stream<Path> s = Files.walk(start)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                out.add(line(node(p), start.relativize(p).toString()));
            }
        }
        return out.stream().sorted().toList();
    }

    /** The RW area after every present rwtab entry was copied into it, by image path. */
    private Map<String, Node> rwArea() throws IOException {
        Map<String, Node> area = new TreeMap<>();
        for (Entry e : presentRwtab()) {
            String path = strip(e.path());
            Path p = root.resolve(path.substring(1));
            switch (e.kind()) {
                case "empty" -> area.put(path, node(p));
                case "dirs" -> {
                    area.putIfAbsent(path, new Node("d", "755", null));
                    walk(p, path, area, true);
                }
                default -> walk(p, path, area, false);
            }
        }
        return area;
    }

    private void walk(Path start, String path, Map<String, Node> area, boolean dirsOnly) throws IOException {
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            if (!dirsOnly) {
                area.put(path, node(start));
            }
            return;
        }
        try (Stream<Path> s = Files.walk(start)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!dirsOnly || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    String rel = start.relativize(p).toString();
                    area.put(rel.isEmpty() ? path : path + "/" + rel, node(p));
                }
            }
        }
    }

    private Node node(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        String perms = Integer.toOctalString(mode & 07777);
        if (Files.isSymbolicLink(p)) {
            return new Node("l", perms, null);
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return new Node("d", perms, null);
        }
        return new Node("f", perms, md5(p));
    }

    private static String line(Node n, String rel) {
        return n.type() + " " + n.mode() + " " + rel + (n.md5() == null ? "" : " " + n.md5());
    }

    /** {@code [ -e PATH ]} in the client: symlinks followed, inside the root. */
    boolean exists(String path) {
        Path p = root;
        List<String> todo = new ArrayList<>(List.of(path.substring(1).split("/")));
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.remove(0);
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                p = p.equals(root) ? root : p.getParent();
                continue;
            }
            Path next = p.resolve(c);
            if (Files.isSymbolicLink(next)) {
                if (++links > 40) {
                    return false;
                }
                try {
                    String t = Files.readSymbolicLink(next).toString();
                    List<String> target = new ArrayList<>(List.of(t.split("/")));
                    if (t.startsWith("/")) {
                        p = root;
                    }
                    target.addAll(todo);
                    todo = target;
                } catch (IOException e) {
                    return false;
                }
                continue;
            }
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            p = next;
        }
        return true;
    }

    private List<Path> tabFiles(String name) throws IOException {
        List<Path> files = new ArrayList<>();
        Path main = root.resolve("etc").resolve(name);
        if (Files.isRegularFile(main)) {
            files.add(main);
        }
        Path d = root.resolve("etc").resolve(name + ".d");
        if (Files.isDirectory(d)) {
            try (Stream<Path> s = Files.list(d)) {
                s.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().matches(".*(~|\\.bak|\\.orig|\\.rpmnew|\\.rpmorig|\\.rpmsave)"))
                        .sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static String strip(String path) {
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }

    static String md5(Path p) throws IOException {
        return El7Fixture.digest("MD5", p);
    }

}

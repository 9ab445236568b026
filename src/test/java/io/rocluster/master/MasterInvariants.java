package io.rocluster.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What must hold on a master at any instant, even right after a SIGKILL, and after the next command. */
final class MasterInvariants {

    private static final Pattern GENERATION = Pattern.compile("generation (\\d+), ");
    // Every loader's menu titles its first entry "rocluster <v> (default)"; without a menu, iPXE echoes it.
    private static final Pattern DEFAULT = Pattern.compile("rocluster (\\S+) \\(default\\)|Loading rocluster (\\S+)\\.\\.\\.");

    private MasterInvariants() {}

    /** The generation named by one config's header, and the version its menu boots by default (or null). */
    record Header(long generation, String active) {}

    static Header header(Path config) throws Exception {
        String text = Files.readString(config);
        String first = text.lines().filter(l -> l.startsWith("# rocluster boot menu"))
                .findFirst().orElseThrow(() -> new AssertionError(config + " has no rocluster header"));
        Matcher m = GENERATION.matcher(first);
        assertThat(m.find()).as(first).isTrue();
        Matcher d = DEFAULT.matcher(text);
        return new Header(Long.parseLong(m.group(1)), d.find() ? (d.group(1) != null ? d.group(1) : d.group(2)) : null);
    }

    /**
     * Read as clients would, before any recovery: pxelinux, GRUB and iPXE configs all come from one
     * generation (never a mix), whose default is one of {@code allowed}, and whose kernels exist.
     */
    static Header bootConfigsConsistent(MasterLayout l, List<String> allowed) throws Exception {
        Path tftp = l.tftpboot();
        Header p = header(tftp.resolve("pxelinux.cfg/default"));
        Header g = header(tftp.resolve("grub/grub.cfg"));
        Header i = header(tftp.resolve("boot.ipxe"));
        assertThat(g).as("grub vs pxelinux").isEqualTo(p);
        assertThat(i).as("ipxe vs pxelinux").isEqualTo(p);
        assertThat(allowed).as("default entry").contains(p.active());
        assertThat(tftp.resolve("images/" + p.active() + "/vmlinuz")).exists();
        assertThat(l.imageRoot(p.active())).isDirectory();
        return p;
    }

    /** After a command ran (and recovered): active matches the menu, history is one consistent chain, no litter. */
    static void recovered(MasterLayout l) throws Exception {
        List<HistoryEntry> all = new History(l.history()).read();
        for (int k = 1; k < all.size(); k++) {
            assertThat(all.get(k).generation()).isGreaterThan(all.get(k - 1).generation());
        }
        // Each group's lines form a chain of their own.
        for (String group : all.stream().map(HistoryEntry::groupName).distinct().toList()) {
            List<HistoryEntry> h = GroupState.of(all, group);
            for (int k = 1; k < h.size(); k++) {
                assertThat(h.get(k).from()).as("history line of group " + group + " leaves from where the previous arrived")
                        .isEqualTo(h.get(k - 1).to());
            }
        }
        List<HistoryEntry> h = GroupState.of(all, Groups.DEFAULT);
        String active = new Versions(l).active();
        Header live = header(l.tftpboot().resolve("pxelinux.cfg/default"));
        assertThat(live.active()).isEqualTo(active);
        if (!h.isEmpty()) {
            assertThat(h.get(h.size() - 1).to()).isEqualTo(active);
        }
        for (Path dir : List.of(l.images(), l.tftpImages(), l.configs(), l.root())) {
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".incoming-")
                        || n.startsWith(".trash-") || n.startsWith(".tmp-")).toList()).as("litter in " + dir).isEmpty();
            }
        }
        try (Stream<Path> s = Files.list(l.configs())) {
            assertThat(s.filter(p -> !Files.isSymbolicLink(p) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).count())
                    .as("one live generation").isEqualTo(1);
        }
    }
}

package io.rocluster.archive;

import java.io.IOException;
import java.nio.file.Path;

/** Real root-like trees for tests, made with the real tools (needs root: chown, mknod, setcap). */
final class Trees {

    private Trees() {}

    static final String LONG_DIR = "d".repeat(120);

    /** What every tree here holds: setuid, setgid and sticky modes, an empty file, a three-way hardlink, a symlink. */
    private static final String COMMON = """
            printf 'root:x:0:0:root:/root:/bin/sh\\n' > etc/passwd
            : > etc/empty
            printf 'ping' > usr/bin/ping
            chmod 4755 usr/bin/ping
            mkdir -m 2775 usr/share/group-dir
            chmod 1777 var/tmp
            printf 'shared' > usr/bin/a
            ln usr/bin/a usr/bin/b
            ln usr/bin/a etc/c
            ln -s /usr/share/zoneinfo/UTC etc/localtime
            """;
    static final String LONG_FILE = "f".repeat(150);

    /**
     * A tree holding every entry kind the rootfs contract names: regular and empty files, a file larger
     * than the I/O buffers, setuid/setgid/sticky, absolute and relative symlinks, a three-way hardlink,
     * character and block devices (with numbers above 255), a FIFO, long and non-ASCII names, ids above
     * 2097151, user and binary security.capability xattrs, old and odd mtimes, and contents of the
     * runtime directories that packing must leave out.
     */
    static void everyKind(Path root) throws IOException, InterruptedException {
        Sh.run(root, """
                mkdir -p etc usr/bin usr/sbin usr/share var/tmp devs order/a
                mkdir -p dev proc sys run tmp mnt media home/alice srv/www
                """ + COMMON + """
                head -c 3000000 /dev/urandom > usr/bin/blob
                setcap cap_net_raw+ep usr/bin/ping
                setfattr -n user.bin -v 0sgIGC/w== etc/passwd
                ln -s ../bin/ping usr/sbin/ping
                chown -h 5:6 usr/sbin/ping
                mknod devs/null c 1 3
                mknod devs/loop0 b 7 0
                mknod devs/big c 300 70000
                mkfifo devs/fifo
                mkdir -p usr/share/%1$s
                printf long > usr/share/%1$s/%2$s
                ln -s usr/share/%1$s/%2$s etc/longlink
                mkdir -p 'usr/share/é-ü'
                printf 'nihongo' > 'usr/share/é-ü/日本.txt'
                printf big > etc/bigid
                chown 3000000:4000000 etc/bigid
                printf 1 > order/a/b
                printf 2 > order/a.b
                printf 3 > order/a-
                printf 4 > order/B
                printf x > tmp/junk
                printf x > home/alice/notes
                printf x > srv/www/index.html
                mknod dev/null c 1 3
                printf x > run/pid
                chown 1000:1000 home/alice
                touch -h -d @1000000000 usr/bin/ping
                touch -h -d @1100000000 etc/localtime
                touch -d @4102444800 etc/empty
                """.formatted(LONG_DIR, LONG_FILE));
    }

    /**
     * A smaller tree that old formats can hold: no xattrs, ids below 2097151, names within 100 bytes unless
     * {@code ustarPath} adds one of 190 bytes that only ustar's prefix field can hold; devices and a FIFO
     * unless {@code v7} (V7 has no type for them).
     */
    static void portable(Path root, boolean ustarPath, boolean v7) throws IOException, InterruptedException {
        Sh.run(root, """
                mkdir -p etc usr/bin usr/share var/tmp
                """ + COMMON + """
                head -c 300000 /dev/urandom > usr/bin/blob
                ln -s ../bin/ping usr/bin/rel
                chown -h 5:6 usr/bin/rel
                chown 1000:1000 etc/empty
                """);
        if (ustarPath) {
            Sh.run(root, "mkdir -p usr/share/%1$s && printf deep > usr/share/%1$s/%2$s"
                    .formatted("p".repeat(90), "q".repeat(90)));
        }
        if (!v7) {
            Sh.run(root, "mkdir devs && mknod devs/null c 1 3 && mknod devs/loop0 b 7 0 && mkfifo devs/fifo");
        }
        Sh.run(root, "find . -exec touch -h -d @1500000000 {} + && touch -h -d @1100000000 etc/localtime");
    }

    /** True for paths inside the directories whose contents packing leaves out. */
    static boolean excludedContent(String rel) {
        int slash = rel.indexOf('/');
        return slash > 0 && PackOptions.EXCLUDED_CONTENTS.contains(rel.substring(0, slash));
    }
}

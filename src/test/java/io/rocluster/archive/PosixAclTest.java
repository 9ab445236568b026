package io.rocluster.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rocluster.RoclusterException;
import io.rocluster.archive.RawTar.Magic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POSIX ACLs in pax records ({@code SCHILY.acl.access}, {@code SCHILY.acl.default}, as GNU tar --acls,
 * star and bsdtar write them) are restored as the {@code system.posix_acl_*} xattrs the kernel keeps them
 * in, the same as GNU tar --acls and bsdtar restore them: checked with getfacl and byte for byte.
 */
class PosixAclTest {

    @TempDir
    Path tmp;

    /** rocluster's extraction of {@code archive}, which must have nothing to warn about. */
    private Path unpack(Path archive, String name) throws Exception {
        Path out = tmp.resolve(name);
        Extractor.Result r = Extractor.extract(archive, out, Extractor.Options.defaults());
        assertThat(r.warnings()).as(name).isEmpty();
        return out;
    }

    private static String getfacl(Path dir) throws Exception {
        return Sh.run(dir, "getfacl -R -n -p . 2>/dev/null | sort");
    }

    private Path gnuTar(Path archive, String name) throws Exception {
        Path out = Files.createDirectory(tmp.resolve(name));
        // bsdtar lists a directory's files after its sibling directories: GNU tar must delay their times.
        Sh.run(tmp, "tar -xpf " + archive + " --acls --numeric-owner --delay-directory-restore -C " + out);
        return out;
    }

    private Path bsdtar(Path archive, String name) throws Exception {
        Path out = Files.createDirectory(tmp.resolve(name));
        // Not --numeric-owner: with it, bsdtar 3.6 fails on GNU tar's ACL entries that have a name only.
        Sh.run(tmp, "bsdtar -xpf " + archive + " --acls -C " + out);
        return out;
    }

    @Test
    void aclTextOfGnuTarAndOfStarBecomesTheKernelsXattrs() throws Exception {
        Path archive = new RawTar()
                .pax('x', "SCHILY.acl.access=user::rwx\nuser:99:rwx\ngroup::r-x\nmask::rwx\nother::r-x\n",
                        "SCHILY.acl.default=user::rwx\nuser:1234:rwx\ngroup::r-x\nmask::rwx\nother::r-x\n")
                .add(RawTar.header("d/", '5', Magic.USTAR).mode(0775))
                // star's and bsdtar's form: commas, any order, a numeric id after a name
                .pax('x', "SCHILY.acl.access=user::rw-,group::r--,other::---,user:daemon:r--:1,user:1234:r-x,"
                        + "group:4321:rw-,mask::rwx")
                .add(RawTar.header("d/f", '0', Magic.USTAR).mode(0670))
                .add(RawTar.header("d/g", '0', Magic.USTAR))
                .end()
                .write(tmp.resolve("acl.tar"));
        Path ours = unpack(archive, "ours");

        assertThat(Sh.run(ours, "getfacl -n -p d d/f d/g")).isEqualTo("""
                # file: d
                # owner: 0
                # group: 0
                user::rwx
                user:99:rwx
                group::r-x
                mask::rwx
                other::r-x
                default:user::rwx
                default:user:1234:rwx
                default:group::r-x
                default:mask::rwx
                default:other::r-x

                # file: d/f
                # owner: 0
                # group: 0
                user::rw-
                user:1:r--
                user:1234:r-x
                group::r--
                group:4321:rw-
                mask::rwx
                other::---

                # file: d/g
                # owner: 0
                # group: 0
                user::rw-
                group::r--
                other::r--

                """);
        Map<String, String> expected = TreeSnapshot.of(ours, p -> false);
        assertThat(TreeSnapshot.of(gnuTar(archive, "gnu"), p -> false)).as("GNU tar --acls").isEqualTo(expected);
        assertThat(TreeSnapshot.of(bsdtar(archive, "bsd"), p -> false)).as("bsdtar").isEqualTo(expected);
    }

    @Test
    void aclsLinuxCannotKeepAreIgnoredWithAWarning() throws Exception {
        // GNU tar ignores both without a word; bsdtar fails on the second ("Cannot set default ACL on
        // non-directory"), having extracted the file.
        Path archive = new RawTar()
                .pax('x', "SCHILY.acl.access=user::rwx,group::rwx,other::rwx,user:5:rwx,mask::rwx")
                .add(RawTar.header("l", '2', Magic.USTAR).mode(0777).link("g"))
                .pax('x', "SCHILY.acl.default=user::rwx,group::rwx,other::rwx")
                .add(RawTar.header("g", '0', Magic.USTAR))
                .end()
                .write(tmp.resolve("useless.tar"));
        Path ours = tmp.resolve("ours");
        Extractor.Result r = Extractor.extract(archive, ours, Extractor.Options.defaults());
        assertThat(r.warnings()).containsExactly("POSIX ACLs on symlinks and default ACLs on non-directories ignored:"
                + " Linux cannot keep them there (2 entries): l, g");
        assertThat(TreeSnapshot.of(ours, p -> false)).isEqualTo(TreeSnapshot.of(gnuTar(archive, "gnu"), p -> false));
    }

    @Test
    void namesAreResolvedInTheImagesOwnUserDatabaseEvenWhenItComesLater() throws Exception {
        // GNU tar writes names only; the host's users mean nothing to a client image.
        String acl = "SCHILY.acl.access=user::rw-\nuser:rocluster-test-alice:r--\ngroup::r--\n"
                + "group:rocluster-test-staff:rw-\nmask::rw-\nother::---\n";
        RawTar t = new RawTar()
                .add(RawTar.header("var/", '5', Magic.USTAR).mode(0755))
                .pax('x', acl)
                .add(RawTar.header("var/x", '0', Magic.USTAR).mode(0660))
                .pax('x', "SCHILY.acl.default=user::rwx\ngroup::r-x\ngroup:rocluster-test-staff:rwx\nmask::rwx\n"
                        + "other::---\n")
                .add(RawTar.header("var/d/", '5', Magic.USTAR).mode(0750));
        Path withDb = t.add(RawTar.header("etc/", '5', Magic.USTAR).mode(0755))
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nrocluster-test-alice:x:2001:2001::/:/bin/sh\n",
                        Magic.USTAR)
                .file("etc/group", "root:x:0:\nrocluster-test-staff:x:3001:alice\n", Magic.USTAR)
                .end()
                .write(tmp.resolve("named.tar"));
        Path ours = unpack(withDb, "ours");
        assertThat(Sh.run(ours, "getfacl -n -p var/x var/d")).isEqualTo("""
                # file: var/x
                # owner: 0
                # group: 0
                user::rw-
                user:2001:r--
                group::r--
                group:3001:rw-
                mask::rw-
                other::---

                # file: var/d
                # owner: 0
                # group: 0
                user::rwx
                group::r-x
                other::---
                default:user::rwx
                default:group::r-x
                default:group:3001:rwx
                default:mask::rwx
                default:other::---

                """);
        assertThat(Files.getAttribute(ours.resolve("var/x"), "unix:mode")).isEqualTo(0100660);
    }

    @Test
    void namesTheImageDoesNotDefineAreWarnedOnceAndTheFilesKeepTheirModes() throws Exception {
        RawTar t = new RawTar();
        for (String f : new String[] {"a", "b", "c", "d"}) {
            t.pax('x', "SCHILY.acl.access=user::rw-\nuser:rocluster-test-nobody:r--\ngroup::r--\nmask::r--\n"
                    + "other::---\n").add(RawTar.header(f, '0', Magic.USTAR).mode(0640));
        }
        Path archive = t.end().write(tmp.resolve("unknown.tar"));
        Path ours = tmp.resolve("ours");
        Extractor.Result r = Extractor.extract(archive, ours, Extractor.Options.defaults());
        assertThat(r.warnings()).containsExactly("POSIX ACLs not restored: they name users or groups (GNU tar stores"
                + " names, not ids) that the archive's own etc/passwd and etc/group do not define (4 entries): a, b,"
                + " c and 1 more");
        assertThat(Libc.listXattrs(ours.resolve("a"), new byte[256])).isEmpty();
        assertThat(Files.getAttribute(ours.resolve("d"), "unix:mode")).isEqualTo(0100640);
    }

    @Test
    void anAclTheKernelWouldRefuseIsRefusedWithOneLine() throws Exception {
        for (String[] c : new String[][] {
            {"user::rw-,user:5:r--,group::r--,other::---", "it names users or groups but has no mask:: entry"},
            {"user::rw-,group::r--", "it needs exactly one user::, group:: and other:: entry and at most one"
                + " mask:: entry"},
            {"user::rw-,user:5:r--,user:5:rw-,group::r--,mask::rw-,other::---", "it names user 5 twice"},
            {"user::rwz,group::r--,other::---", "entry 'user::rwz' has permissions other than r, w, x and -"},
            {"owner::rw-", "entry 'owner::rw-' has no user, group, mask or other tag"},
        }) {
            Path archive = new RawTar().pax('x', "SCHILY.acl.access=" + c[0]).file("f", "", Magic.USTAR).end()
                    .write(tmp.resolve("bad.tar"));
            assertThatThrownBy(() -> Extractor.extract(archive, tmp.resolve("out"), Extractor.Options.defaults()))
                    .isInstanceOf(RoclusterException.class)
                    .hasMessage("corrupt tar archive: an invalid POSIX ACL for 'f' (SCHILY.acl.access: " + c[1]
                            + ") at byte 0; the file is damaged, fetch or rebuild it");
            assertThat(tmp.resolve("out")).doesNotExist();
        }
    }

    @Test
    void archivesGnuTarAndBsdtarWroteWithAclsComeBackAsTheyWere() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        // 1234, 4321 and 99 have no names here, so GNU tar writes numbers; daemon is a name the image defines.
        Sh.run(src, """
                mkdir -p etc d/sub
                printf 'root:x:0:0::/root:/bin/sh\\ndaemon:x:1:1::/:/bin/sh\\n' > etc/passwd
                printf 'root:x:0:\\ndaemon:x:1:\\n' > etc/group
                printf hi > f
                chmod 640 f
                setfacl -m u:1234:r-x,g:4321:rw-,u:daemon:r--,g:daemon:r-- f
                setfacl -m u:99:rwx d
                setfacl -d -m u:1234:rwx,g::r-x,g:daemon:r-x d
                setfacl -d -m u:1234:rwx d/sub
                mkfifo d/fifo
                setfacl -m u:1234:rw- d/fifo
                find . -exec touch -h -d @1500000000 {} +
                """);
        Map<String, String> expected = TreeSnapshot.of(src, p -> false);
        assertThat(expected.get("f")).contains("system.posix_acl_access=");
        assertThat(expected.get("d")).contains("system.posix_acl_default=");
        Sh.run(src, "tar --format=posix --acls -cf " + tmp.resolve("gnu.tar") + " . && bsdtar --format=pax --acls -cf "
                + tmp.resolve("bsd.tar") + " .");
        assertThat(Sh.run(tmp, "strings gnu.tar | grep -c 'user:daemon:r--$'").strip()).isEqualTo("1");
        for (String name : new String[] {"gnu.tar", "bsd.tar"}) {
            Path ours = unpack(tmp.resolve(name), "ours-" + name);
            assertThat(TreeSnapshot.of(ours, p -> false)).as(name).isEqualTo(expected);
            assertThat(getfacl(ours)).as(name).isEqualTo(getfacl(src));
            assertThat(TreeSnapshot.of(gnuTar(tmp.resolve(name), "gnu-" + name), p -> false)).as("GNU tar " + name)
                    .isEqualTo(expected);
            assertThat(TreeSnapshot.of(bsdtar(tmp.resolve(name), "bsd-" + name), p -> false)).as("bsdtar " + name)
                    .isEqualTo(expected);
        }

        // rocluster's own archive keeps them as the xattrs themselves.
        Path packed = tmp.resolve("packed.tar.zst");
        RootfsPacker.packDirectory(src, packed, PackOptions.rootfs(OptionalLong.empty()), null);
        assertThat(TreeSnapshot.of(unpack(packed, "back"), p -> false)).isEqualTo(expected);
    }
}

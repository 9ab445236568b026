package io.rocluster.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A POSIX.1e ACL as GNU tar, star and bsdtar store it in the pax records {@code SCHILY.acl.access} and
 * {@code SCHILY.acl.default}, and its Linux form: the binary value of the {@code system.posix_acl_access}
 * or {@code system.posix_acl_default} extended attribute that {@code setfacl} (libacl) would write.
 *
 * <p>The text is libacl's: entries {@code tag:qualifier:perms} separated by newlines (GNU tar) or commas
 * (star, bsdtar), {@code #} comments, short tags ({@code u g m o}), and star's fourth field, the numeric id
 * of a named user or group ({@code user:daemon:r--:1}). rocluster restores owners by number, so that id
 * wins over the name; a name without an id must be resolved by the caller in the image's own
 * etc/passwd and etc/group (the host's users mean nothing to the image).
 */
final class PosixAcl {

    /** The xattr names, which also name the record kinds. */
    static final String ACCESS = "system.posix_acl_access";
    static final String DEFAULT = "system.posix_acl_default";

    // Tags and layout from the kernel's include/uapi/linux/posix_acl_xattr.h and posix_acl.h.
    private static final int VERSION = 2;
    private static final int USER_OBJ = 0x01;
    private static final int USER = 0x02;
    private static final int GROUP_OBJ = 0x04;
    private static final int GROUP = 0x08;
    private static final int MASK = 0x10;
    private static final int OTHER = 0x20;
    private static final long UNDEFINED_ID = 0xffffffffL;

    /** One entry; {@code id} is -1 while only {@code name} is known. */
    private record Entry(int tag, int perm, long id, String name) {}

    private final List<Entry> entries;

    private PosixAcl(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Parses the text of a {@code SCHILY.acl.*} record.
     *
     * @param isDefault the text is a default ACL, whose entries may carry a {@code default:} prefix
     * @throws IllegalArgumentException naming the first entry that is not an ACL entry
     */
    static PosixAcl parse(byte[] text, boolean isDefault) {
        List<Entry> out = new ArrayList<>();
        for (String raw : new String(text, StandardCharsets.UTF_8).split("[,\n]")) {
            int hash = raw.indexOf('#');
            String e = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (e.isEmpty()) {
                continue;
            }
            String[] f = e.split(":", -1);
            int i = 0;
            if (isDefault && f.length > 1 && (f[0].equals("default") || f[0].equals("d"))) {
                i = 1;
            }
            int tag = switch (f[i]) {
                case "user", "u" -> USER_OBJ;
                case "group", "g" -> GROUP_OBJ;
                case "mask", "m" -> MASK;
                case "other", "o" -> OTHER;
                default -> throw new IllegalArgumentException("entry '" + e + "' has no user, group, mask or other tag");
            };
            int fields = f.length - i;
            String qualifier = fields >= 3 ? f[i + 1] : "";
            String perms = fields >= 3 ? f[i + 2] : fields == 2 ? f[i + 1] : null;
            boolean named = tag == USER_OBJ || tag == GROUP_OBJ;
            if (perms == null || fields > 4 || fields == 4 && (!named || qualifier.isEmpty())
                    || fields == 2 && named || !qualifier.isEmpty() && !named) {
                throw new IllegalArgumentException("entry '" + e + "' is not tag:qualifier:permissions");
            }
            long id = -1;
            String name = null;
            if (!qualifier.isEmpty()) {
                tag = tag == USER_OBJ ? USER : GROUP;
                if (fields == 4) {
                    id = decimalId(f[i + 3], e);
                    name = qualifier;
                } else if (qualifier.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    id = decimalId(qualifier, e);
                } else {
                    name = qualifier;
                }
            } else {
                id = UNDEFINED_ID;
            }
            out.add(new Entry(tag, perm(perms, e), id, name));
        }
        return new PosixAcl(out);
    }

    private static long decimalId(String s, String entry) {
        try {
            long id = Long.parseLong(s);
            if (id >= 0 && id < UNDEFINED_ID) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("entry '" + entry + "' has an id that is not a number from 0 to 4294967294");
    }

    private static int perm(String s, String entry) {
        int p = 0;
        for (char c : s.toCharArray()) {
            int bit = switch (c) {
                case 'r' -> 4;
                case 'w' -> 2;
                case 'x' -> 1;
                case '-' -> 0;
                default -> -1;
            };
            if (bit < 0 || (p & bit) != 0) {
                throw new IllegalArgumentException("entry '" + entry + "' has permissions other than r, w, x and -");
            }
            p |= bit;
        }
        if (s.isEmpty() || s.length() > 3) {
            throw new IllegalArgumentException("entry '" + entry + "' has permissions other than r, w, x and -");
        }
        return p;
    }

    /** True when some named entry has no numeric id, so {@link #resolve} must run before {@link #xattr}. */
    boolean needsNames() {
        for (Entry e : entries) {
            if (e.id() < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * This ACL with names looked up in {@code users} and {@code groups} (name to id), or null when some name
     * is in neither.
     */
    PosixAcl resolve(Map<String, Long> users, Map<String, Long> groups) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.id() >= 0) {
                out.add(e);
                continue;
            }
            Long id = (e.tag() == USER ? users : groups).get(e.name());
            if (id == null) {
                return null;
            }
            out.add(new Entry(e.tag(), e.perm(), id, e.name()));
        }
        return new PosixAcl(out);
    }

    /**
     * The kernel's xattr value: a version word, then (tag, perm, id) entries sorted by tag and id, as libacl
     * writes it (the kernel refuses any other order).
     *
     * @throws IllegalArgumentException for an ACL the kernel would refuse (a missing or repeated base entry,
     *                                  a repeated user or group, named entries without a mask)
     */
    byte[] xattr() {
        if (needsNames()) {
            throw new IllegalStateException("names not resolved");
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(Entry::tag).thenComparingLong(Entry::id));
        int[] count = new int[OTHER + 1];
        for (int i = 0; i < sorted.size(); i++) {
            Entry e = sorted.get(i);
            count[e.tag()]++;
            if ((e.tag() == USER || e.tag() == GROUP) && i > 0 && sorted.get(i - 1).tag() == e.tag()
                    && sorted.get(i - 1).id() == e.id()) {
                throw new IllegalArgumentException("it names " + (e.tag() == USER ? "user " : "group ")
                        + (e.name() != null ? e.name() : Long.toString(e.id())) + " twice");
            }
        }
        if (count[USER_OBJ] != 1 || count[GROUP_OBJ] != 1 || count[OTHER] != 1 || count[MASK] > 1) {
            throw new IllegalArgumentException("it needs exactly one user::, group:: and other:: entry"
                    + " and at most one mask:: entry");
        }
        if (count[MASK] == 0 && (count[USER] > 0 || count[GROUP] > 0)) {
            throw new IllegalArgumentException("it names users or groups but has no mask:: entry");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 8 * sorted.size());
        le32(out, VERSION);
        for (Entry e : sorted) {
            out.write(e.tag());
            out.write(e.tag() >> 8);
            out.write(e.perm());
            out.write(0);
            le32(out, e.id());
        }
        return out.toByteArray();
    }

    private static void le32(ByteArrayOutputStream out, long v) {
        out.write((int) v);
        out.write((int) (v >> 8));
        out.write((int) (v >> 16));
        out.write((int) (v >> 24));
    }
}

package io.rocluster.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an archive holds that rocluster reads past without restoring (a volume label, NFSv4 ACLs, file
 * flags, unknown pax keywords): one line per kind, naming the first few entries, so nothing is dropped
 * without a word and a large archive does not print a line per file.
 */
final class ArchiveWarnings {

    private static final int NAMED = 3;

    private static final class Kind {
        long count;
        final List<String> names = new ArrayList<>(NAMED);
    }

    private final Map<String, Kind> kinds = new LinkedHashMap<>();

    /**
     * @param what what the entries carry and what rocluster did with it, e.g. "NFSv4 ACLs (pax
     *             SCHILY.acl.ace) not restored: Linux file systems cannot hold them"
     * @param name the entry's member name
     */
    void add(String what, String name) {
        Kind k = kinds.computeIfAbsent(what, w -> new Kind());
        k.count++;
        if (k.names.size() < NAMED) {
            k.names.add(EntryNames.printable(name));
        }
    }

    /** One line per kind, in the order first seen: "WHAT (2 entries): a, b". */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        kinds.forEach((what, k) -> {
            String more = k.count > k.names.size() ? " and " + (k.count - k.names.size()) + " more" : "";
            out.add(what + " (" + k.count + (k.count == 1 ? " entry): " : " entries): ")
                    + String.join(", ", k.names) + more);
        });
        return out;
    }
}

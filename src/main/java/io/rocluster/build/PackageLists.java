package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.artefact.Manifest.PackageVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Package lists as the builder writes them ({@code name<TAB>version<TAB>arch} per line: the collect stage's
 * {@code packages.tsv}, the resolver's {@code resolved-packages.tsv}) and what differs between two of them.
 */
final class PackageLists {

    private PackageLists() {}

    /**
     * The packages of {@code tsv}, sorted by name then arch. A line of another shape means the script that wrote
     * it or the package database is broken, so it is an error naming {@code source}, not a package dropped.
     */
    static List<PackageVersion> parse(String tsv, String source) {
        List<PackageVersion> packages = new ArrayList<>();
        int n = 0;
        for (String line : tsv.split("\n")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 3 || f[0].isEmpty() || f[1].isEmpty() || f[2].isEmpty()) {
                throw new RoclusterException(source + " listed a package as '" + line.replace('\t', ' ')
                        + "' (line " + n + "), not name, version and arch: its package query is broken");
            }
            packages.add(new PackageVersion(f[0], f[1], f[2]));
        }
        packages.sort(Comparator.comparing(PackageVersion::name).thenComparing(PackageVersion::arch));
        return packages;
    }

    /**
     * What turns {@code before} into {@code after}, one line per package, by name: {@code name old → new},
     * {@code + name version} (added), {@code - name version} (gone). Empty when they are equal.
     */
    static List<String> differences(List<PackageVersion> before, List<PackageVersion> after) {
        Map<String, String> was = versions(before);
        Map<String, String> now = versions(after);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String old = was.get(e.getKey());
            if (old == null) {
                out.add("+ " + e.getKey() + " " + e.getValue());
            } else if (!old.equals(e.getValue())) {
                out.add(e.getKey() + " " + old + " → " + e.getValue());
            }
        }
        was.forEach((name, version) -> {
            if (!now.containsKey(name)) {
                out.add("- " + name + " " + version);
            }
        });
        return out;
    }

    private static Map<String, String> versions(List<PackageVersion> packages) {
        Map<String, String> out = new TreeMap<>();
        for (PackageVersion p : packages) {
            String name = p.arch().isEmpty() || p.arch().equals("all") || p.arch().equals("noarch")
                    ? p.name() : p.name() + ":" + p.arch();
            out.put(name, p.version());
        }
        return out;
    }
}

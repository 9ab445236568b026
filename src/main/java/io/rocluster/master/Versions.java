package io.rocluster.master;

import io.rocluster.spec.ImageVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The deployed versions of a master, and the relations promote, rollback, gc and list agree on: which is
 * active, which is the rollback target, which are pinned. A directory {@code images/<v>} exists only
 * complete (deploy renames it into place last), so its presence means "deployed".
 */
final class Versions {

    private final MasterLayout layout;

    Versions(MasterLayout layout) {
        this.layout = layout;
    }

    /** Deployed version names, oldest nightly first ({@link ImageVersion#ORDER}). */
    List<String> deployed() {
        if (!Files.isDirectory(layout.images())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(layout.images())) {
            return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .filter(ImageVersion::isValid)
                    .sorted(ImageVersion.ORDER)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isDeployed(String version) {
        return Files.isDirectory(layout.image(version), LinkOption.NOFOLLOW_LINKS);
    }

    /** Deploy records by version, newest deployment first (ties: higher version first). */
    List<DeployRecord> byDeployTime() {
        List<DeployRecord> out = new ArrayList<>();
        for (String v : deployed()) {
            out.add(DeployRecord.read(layout, v));
        }
        out.sort(Comparator.comparing(DeployRecord::deployedAt).thenComparing(DeployRecord::version, ImageVersion.ORDER).reversed());
        return out;
    }

    /** The version {@code active} points at, or null. */
    String active() {
        Path link = layout.active();
        if (!Files.isSymbolicLink(link)) {
            return null;
        }
        try {
            return Files.readSymbolicLink(link).getFileName().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The version rollback returns to by default: the one active before the current one (the last
     * history entry's {@code from}), or null.
     */
    static String rollbackTarget(List<HistoryEntry> history, String active) {
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry e = history.get(i);
            if (e.to().equals(active)) {
                return e.from();
            }
        }
        return null;
    }

    /**
     * Earlier active versions, most recent first, for the boot menu: distinct, without {@code exclude},
     * only those still deployed, at most {@code limit}.
     */
    List<String> previousActives(List<HistoryEntry> history, String exclude, int limit) {
        List<String> out = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0 && out.size() < limit; i--) {
            for (String v : new String[] {history.get(i).to(), history.get(i).from()}) {
                if (v != null && !v.equals(exclude) && !out.contains(v) && out.size() < limit && isDeployed(v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** Pinned versions. */
    List<String> pinned() {
        if (!Files.isDirectory(layout.pins())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(layout.pins())) {
            return s.map(p -> p.getFileName().toString()).filter(ImageVersion::isValid).sorted(ImageVersion.ORDER).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isPinned(String version) {
        return Files.exists(layout.pins().resolve(version));
    }

    /** Boot-test results by version (only those that have one). */
    Map<String, BootTestResult> bootTests() {
        Map<String, BootTestResult> out = new HashMap<>();
        for (String v : deployed()) {
            BootTestResult r = BootTestResult.read(layout.bootTest(v));
            if (r != null) {
                out.put(v, r);
            }
        }
        return out;
    }
}

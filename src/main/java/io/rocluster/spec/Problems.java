package io.rocluster.spec;

import io.rocluster.spec.SpecNode.Location;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mistakes found while loading one spec, and where each field stood in the file, so that a check made
 * long after parsing (diskful needs labels) can still point at a line.
 */
final class Problems {

    final List<SpecError> errors = new ArrayList<>();
    final Map<String, Location> locations = new HashMap<>();

    /** Records a mistake at {@code path}, placed at that field, or at the nearest enclosing field the file has. */
    void add(String path, String message) {
        errors.add(SpecError.at(path, locate(path), message));
    }

    /** True when a mistake is already recorded at {@code path} or inside it (to avoid reporting one thing twice). */
    boolean reported(String path) {
        return errors.stream().anyMatch(e -> e.path().equals(path) || e.path().startsWith(path + ".")
                || e.path().startsWith(path + "["));
    }

    /** The errors in file order (errors without a location last), as a user reads them. */
    List<SpecError> sorted() {
        List<SpecError> out = new ArrayList<>(errors);
        out.sort(Comparator.comparingInt((SpecError e) -> e.line() == 0 ? Integer.MAX_VALUE : e.line())
                .thenComparingInt(SpecError::column));
        return out;
    }

    Location locate(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Location l = locations.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return Location.NONE;
    }
}

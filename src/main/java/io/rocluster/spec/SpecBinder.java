package io.rocluster.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonToken;
import io.rocluster.spec.SpecNode.Entry;
import io.rocluster.spec.SpecNode.ListNode;
import io.rocluster.spec.SpecNode.Location;
import io.rocluster.spec.SpecNode.MapNode;
import io.rocluster.spec.SpecNode.ScalarNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a {@link SpecNode} tree onto the spec records by their components, strictly: an unknown field, a value
 * of the wrong type or a bad enum name becomes a {@link SpecError} and leaves that component null, and binding
 * goes on so every mistake is found in one run. Fields a user left out are null here; defaults come later.
 *
 * <p>The records themselves are the schema (component names and types, enum names from {@link JsonProperty}),
 * so the loader, {@code validate}'s output and the manifest's JSON can never disagree on a field name.
 */
final class SpecBinder {

    private final List<SpecError> errors;
    private final Map<String, Location> locations;

    /**
     * @param errors    where mistakes go
     * @param locations filled with the location of every bound value, by field path
     */
    SpecBinder(List<SpecError> errors, Map<String, Location> locations) {
        this.errors = errors;
        this.locations = locations;
    }

    /** Binds a mapping onto record type {@code type}; null (with an error) when {@code node} is not a mapping. */
    <R extends Record> R bind(SpecNode node, Class<R> type, String path) {
        RecordComponent[] components = type.getRecordComponents();
        if (!(node instanceof MapNode map)) {
            errors.add(SpecError.at(path, node.location(), "expected a map with the fields "
                    + names(components) + ", got " + node.kind()));
            return null;
        }
        locations.put(path, map.location());
        for (Map.Entry<String, Entry> e : map.entries().entrySet()) {
            if (Arrays.stream(components).noneMatch(c -> c.getName().equals(e.getKey()))) {
                String child = child(path, e.getKey());
                errors.add(SpecError.at(child, e.getValue().keyLocation(), "unknown field"
                        + suggestion(e.getKey(), components) + "; allowed here: " + names(components)));
            }
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            Entry entry = map.entries().get(c.getName());
            if (entry != null) {
                values[i] = value(entry.value(), c.getType(), c.getGenericType(), child(path, c.getName()));
            }
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalStateException("spec record " + type.getName() + " cannot be constructed", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("spec record " + type.getName() + " rejected its values", e.getCause());
        }
    }

    private Object value(SpecNode node, Class<?> type, Type generic, String path) {
        if (node instanceof ScalarNode s && (s.isNull() || s.refused())) {
            // `packages:` with nothing after it means "not given" in YAML: treat it as absent, like JSON null.
            return null;
        }
        locations.put(path, node.location());
        if (type == String.class) {
            return text(node, path);
        }
        if (type == Integer.class) {
            if (node instanceof ScalarNode s && s.token() == JsonToken.VALUE_NUMBER_INT) {
                try {
                    return Integer.valueOf(s.text().replace("_", ""));
                } catch (NumberFormatException e) {
                    // fall through to the error below: too large for any field we have
                }
            }
            return fail(path, node, "expected a whole number");
        }
        if (type == Boolean.class) {
            if (node instanceof ScalarNode s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
                return s.token() == JsonToken.VALUE_TRUE;
            }
            return fail(path, node, "expected true or false");
        }
        if (type.isEnum()) {
            return enumValue(node, type, path);
        }
        if (type == List.class) {
            return list(node, generic, path);
        }
        if (type.isRecord()) {
            return bind(node, type.asSubclass(Record.class), path);
        }
        throw new IllegalStateException("spec field " + path + " has a type the binder does not know: " + type);
    }

    private String text(SpecNode node, String path) {
        if (node instanceof ScalarNode s) {
            return s.text();
        }
        return (String) fail(path, node, "expected a text value");
    }

    private Object enumValue(SpecNode node, Class<?> type, String path) {
        List<String> allowed = enumNames(type);
        if (node instanceof ScalarNode s) {
            int i = allowed.indexOf(s.text());
            if (i >= 0) {
                return type.getEnumConstants()[i];
            }
            errors.add(SpecError.at(path, node.location(), "'" + s.text() + "' is not one of " + String.join(", ", allowed)));
            return null;
        }
        return fail(path, node, "expected one of " + String.join(", ", allowed));
    }

    private List<String> list(SpecNode node, Type generic, String path) {
        Type element = generic instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : Object.class;
        if (element != String.class) {
            throw new IllegalStateException("spec field " + path + " is a list of " + element + "; only text lists are supported");
        }
        if (!(node instanceof ListNode l)) {
            return castNull(fail(path, node, "expected a list, e.g. [a, b] or one '- item' per line"));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.items().size(); i++) {
            SpecNode item = l.items().get(i);
            String itemPath = path + "[" + i + "]";
            if (item instanceof ScalarNode s && !s.isNull()) {
                locations.put(itemPath, s.location());
                out.add(s.refused() ? null : s.text());
            } else {
                // Keep the index so later paths still match the file; the hole is never seen past the loader.
                fail(itemPath, item, "expected a text value");
                out.add(null);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> castNull(Object o) {
        return (List<T>) o;
    }

    private Object fail(String path, SpecNode node, String expected) {
        errors.add(SpecError.at(path, node.location(), expected + ", got " + node.kind()));
        return null;
    }

    /** The names a user writes for an enum's constants (their {@link JsonProperty} values), in declaration order. */
    static List<String> enumNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            names.add(enumName((Enum<?>) constant));
        }
        return names;
    }

    /** The name a user writes for one enum constant. */
    static String enumName(Enum<?> constant) {
        try {
            JsonProperty p = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return p == null ? constant.name() : p.value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String names(RecordComponent[] components) {
        return Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.joining(", "));
    }

    /** A close allowed name for a typo ({@code masterroot}, {@code stateTab}), or nothing. */
    private static String suggestion(String key, RecordComponent[] components) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (RecordComponent c : components) {
            int d = distance(key.toLowerCase(), c.getName().toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c.getName();
            }
        }
        return best != null && bestDistance <= Math.max(1, key.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

package io.rocluster.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.rocluster.spec.SpecNode.Entry;
import io.rocluster.spec.SpecNode.ListNode;
import io.rocluster.spec.SpecNode.Location;
import io.rocluster.spec.SpecNode.MapNode;
import io.rocluster.spec.SpecNode.ScalarNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads spec text (YAML, or JSON) into a {@link SpecNode} tree with locations, through Jackson's streaming
 * parsers. Syntax problems, duplicate keys and YAML aliases become {@link SpecError}s; a syntax error ends
 * reading (nothing after it can be trusted), the others are collected.
 */
final class SpecReader {

    private final List<SpecError> errors;

    SpecReader(List<SpecError> errors) {
        this.errors = errors;
    }

    /**
     * Parses {@code text}; returns null when the document is empty or unreadable (an error says why).
     *
     * @param json true to parse strict JSON, false for YAML
     */
    SpecNode read(String text, boolean json) {
        try (JsonParser p = json ? new JsonFactory().createParser(text) : new YAMLFactory().createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                errors.add(new SpecError("", "the spec is empty; `rocluster init` prints a commented example", 0, 0));
                return null;
            }
            SpecNode root = node(p, "");
            if (p.nextToken() != null) {
                errors.add(SpecError.at("", location(p), "more than one document; a spec is one YAML document"));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            Location where = l == null ? Location.NONE : new Location(l.getLineNr(), l.getColumnNr());
            errors.add(SpecError.at("", where, (json ? "bad JSON syntax: " : "bad YAML syntax: ")
                    + oneLine(e.getOriginalMessage())));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SpecNode node(JsonParser p, String path) throws IOException {
        Location where = location(p);
        JsonToken t = p.currentToken();
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            // Jackson hands an alias over as the anchor's *name*; silently using it would be wrong.
            errors.add(SpecError.at(path, where, "YAML aliases (*" + p.getText() + ") are not supported; write the value out"));
            return new ScalarNode(p.getText(), JsonToken.NOT_AVAILABLE, where);
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = location(p);
                    p.nextToken();
                    String child = path.isEmpty() ? key : path + "." + key;
                    SpecNode value = node(p, child);
                    if (entries.containsKey(key)) {
                        errors.add(SpecError.at(child, keyAt, "given twice (first at "
                                + entries.get(key).keyLocation() + "); keep one"));
                    } else {
                        entries.put(key, new Entry(keyAt, value));
                    }
                }
                return new MapNode(entries, where);
            }
            case START_ARRAY -> {
                List<SpecNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, path + "[" + items.size() + "]"));
                }
                return new ListNode(items, where);
            }
            default -> {
                return new ScalarNode(t == JsonToken.VALUE_NULL ? "" : p.getText(), t, where);
            }
        }
    }

    private static Location location(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return new Location(l.getLineNr(), l.getColumnNr());
    }

    /**
     * SnakeYAML's messages span several lines (context, a source excerpt, a caret); keep the sentences and
     * drop the rest, since the location is reported separately.
     */
    static String oneLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\\R")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("in 'reader'") || s.startsWith("^") || line.startsWith(" ")) {
                continue;
            }
            kept.add(s);
        }
        return kept.isEmpty() ? message.strip().replaceAll("\\s+", " ") : String.join("; ", kept);
    }
}

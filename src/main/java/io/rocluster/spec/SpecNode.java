package io.rocluster.spec;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import java.util.Map;

/**
 * A parsed spec document that remembers where each value stood in the file. Jackson's own tree
 * ({@code JsonNode}) forgets locations, and databind stops at the first error; keeping our own small tree
 * lets the binder report every mistake of a spec in one run, each with its line and column.
 */
sealed interface SpecNode {

    /** Where the value starts in the file. */
    Location location();

    /** What a user would call this kind of value, for "expected …, got …" messages. */
    String kind();

    /**
     * A mapping. Entries keep the file's order.
     *
     * @param entries  key to entry
     * @param location where the mapping starts
     */
    record MapNode(Map<String, Entry> entries, Location location) implements SpecNode {
        @Override
        public String kind() {
            return "a map";
        }
    }

    /**
     * One key of a mapping.
     *
     * @param keyLocation where the key stands (unknown-field errors point here)
     * @param value       the value
     */
    record Entry(Location keyLocation, SpecNode value) {}

    /** A sequence. */
    record ListNode(List<SpecNode> items, Location location) implements SpecNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar, with the text exactly as written and the token type the parser saw (so {@code 007} stays
     * {@code 007} for a text field, while a number field can insist on a number).
     *
     * @param text     the scalar as written
     * @param token    VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE or VALUE_NULL;
     *                 NOT_AVAILABLE for a value the reader already refused (a YAML alias)
     * @param location where it stands
     */
    record ScalarNode(String text, JsonToken token, Location location) implements SpecNode {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean refused() {
            return token == JsonToken.NOT_AVAILABLE;
        }

        @Override
        public String kind() {
            return isNull() ? "nothing" : "'" + text + "'";
        }
    }

    /**
     * A position in the spec file, 1-based; {@link #NONE} when a value has no position (a default).
     *
     * @param line   line number
     * @param column column number
     */
    record Location(int line, int column) {
        static final Location NONE = new Location(0, 0);

        boolean known() {
            return line > 0;
        }

        @Override
        public String toString() {
            return known() ? "line " + line + ", column " + column : "";
        }
    }
}

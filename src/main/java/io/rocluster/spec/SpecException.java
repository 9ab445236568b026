package io.rocluster.spec;

import io.rocluster.RoclusterException;
import java.util.List;

/**
 * A spec that cannot be used, with every mistake found in it (so a user fixes them in one go). The message
 * is a heading line naming the file, then one line per error.
 */
public final class SpecException extends RoclusterException {

    private final transient List<SpecError> errors;

    SpecException(String source, List<SpecError> errors) {
        super(format(source, errors));
        this.errors = List.copyOf(errors);
    }

    /** The mistakes, in file order. */
    public List<SpecError> errors() {
        return errors;
    }

    private static String format(String source, List<SpecError> errors) {
        StringBuilder sb = new StringBuilder();
        sb.append(source).append(": ");
        sb.append(errors.size() == 1 ? "1 error" : errors.size() + " errors");
        sb.append(" in the spec; fix ").append(errors.size() == 1 ? "it" : "them")
                .append(" and run `rocluster validate ").append(source.equals(SpecLoader.STDIN) ? "-" : source)
                .append("` again:");
        for (SpecError e : errors) {
            sb.append(System.lineSeparator()).append("  ").append(e);
        }
        return sb.toString();
    }
}

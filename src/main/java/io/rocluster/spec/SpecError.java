package io.rocluster.spec;

/**
 * One mistake in a spec: the field path as a user would write it ({@code rwtab.files[0]},
 * {@code nfs.version}), what is wrong and what is allowed, and where it stands in the file.
 *
 * @param path    field path, empty for the document itself
 * @param message what is wrong and what is allowed
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 */
public record SpecError(String path, String message, int line, int column) {

    static SpecError at(String path, SpecNode.Location where, String message) {
        return new SpecError(path, message, where.line(), where.column());
    }

    /** The one-line form shown to users: {@code profile: 'centos7' is not one of el7, debian12 (line 2, column 10)}. */
    @Override
    public String toString() {
        String where = line > 0 ? " (line " + line + ", column " + column + ")" : "";
        return (path.isEmpty() ? "" : path + ": ") + message + where;
    }
}

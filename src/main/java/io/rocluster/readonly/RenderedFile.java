package io.rocluster.readonly;

/**
 * A file rendered from the spec, to be copied into the image root as is, owned by root.
 *
 * @param path    absolute path inside the image, e.g. {@code /etc/rwtab.d/rocluster}
 * @param mode    permission bits, e.g. {@code 0644}
 * @param content the file's text (UTF-8), every line ending in a newline; empty for an empty file
 */
public record RenderedFile(String path, int mode, String content) {

    public RenderedFile {
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("rendered file path must be absolute: " + path);
        }
    }
}

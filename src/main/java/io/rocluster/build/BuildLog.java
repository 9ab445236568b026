package io.rocluster.build;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code build.log}: the full output of every stage, each under a header line. Keeps the tail of the current
 * stage so that a failure can be explained by the lines that matter (apt's {@code E:} lines, dracut's errors)
 * instead of the whole log.
 */
final class BuildLog implements AutoCloseable {

    private static final int TAIL = 200;
    // What apt, yum, dpkg, debootstrap and dracut print when they fail.
    private static final Pattern FAILING = Pattern.compile(
            "^(E: |W: Unable|Error|ERROR|dracut(\\[[A-Z]\\])?: .*(fail|cannot|not found|error)|No package|"
                    + ".*not installed|.*[Ff]ailed|.*cannot be found|.*No such file).*");

    private final Path file;
    private final BufferedWriter out;
    private final Deque<String> tail = new ArrayDeque<>();
    private boolean closed;

    BuildLog(Path file) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    Path file() {
        return file;
    }

    /** Starts a section (a stage); the tail restarts. */
    synchronized void section(String title) {
        tail.clear();
        line("==> " + title);
    }

    /**
     * Appends a line. After {@link #close} (the log is then part of the artefact, checksummed in SHA256SUMS) a line
     * is kept only in the tail that {@link #failingLines} reads, not written.
     */
    synchronized void line(String line) {
        if (!closed) {
            try {
                out.write(line);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        tail.addLast(line);
        if (tail.size() > TAIL) {
            tail.removeFirst();
        }
    }

    /**
     * The lines of the current section that explain a failure: those that look like errors (at most 15, the
     * last ones), else its last 15 lines.
     */
    synchronized List<String> failingLines() {
        List<String> all = new ArrayList<>(tail);
        List<String> errors = all.stream().filter(l -> FAILING.matcher(l).matches()
                || l.toLowerCase(Locale.ROOT).startsWith("dracut: ")
                && l.toLowerCase(Locale.ROOT).contains("fail")).toList();
        List<String> chosen = errors.isEmpty() ? all : errors;
        return chosen.subList(Math.max(0, chosen.size() - 15), chosen.size());
    }

    synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        out.close();
    }
}

package io.rocluster.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code history.jsonl}: one JSON object per line, appended (and fsynced) by every promote and rollback.
 * A line cut short by a crash can only be the last one; {@link #repairTail} drops it, and recovery
 * re-appends the entry from the live generation's promotion record.
 */
final class History {

    private final Path file;

    History(Path file) {
        this.file = file;
    }

    /** All entries, oldest first. */
    List<HistoryEntry> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<HistoryEntry> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            out.add(parse(line, n));
        }
        return out;
    }

    /** The newest entry, or null. */
    HistoryEntry last() {
        List<HistoryEntry> recent = recent(1);
        return recent.isEmpty() ? null : recent.get(0);
    }

    /**
     * The newest {@code max} entries, oldest first, read from the end of the file: a switch never reads
     * the whole history, so its cost does not grow with the number of promotes either.
     */
    List<HistoryEntry> recent(int max) {
        if (!Files.exists(file) || max <= 0) {
            return List.of();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = ch.size();
            int block = 16 << 10;
            while (true) {
                long start = Math.max(0, end - block);
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (end - start));
                while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
                    // read the whole tail
                }
                String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
                List<String> lines = new ArrayList<>(text.lines().filter(l -> !l.isBlank()).toList());
                if (start > 0) {
                    lines.remove(0); // may start mid-line
                }
                if (lines.size() >= max || start == 0) {
                    List<String> tail = lines.subList(Math.max(0, lines.size() - max), lines.size());
                    List<HistoryEntry> out = new ArrayList<>();
                    for (String line : tail) {
                        out.add(parse(line, -1));
                    }
                    return out;
                }
                block *= 4;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HistoryEntry parse(String line, int lineNumber) {
        try {
            return MasterJson.LINE.readValue(line, HistoryEntry.class);
        } catch (JsonProcessingException e) {
            throw new RoclusterException(file + (lineNumber > 0 ? " line " + lineNumber : "") + " has a line that is "
                    + "not a history entry (" + e.getOriginalMessage() + "): restore the file from a backup or remove it");
        }
    }

    void append(HistoryEntry entry) {
        try {
            Durable.appendLine(file, MasterJson.LINE.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cuts a last line that has no newline (a crash mid-append); returns whether it did. */
    boolean repairTail() {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return false;
            }
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            ch.read(one, size - 1);
            if (one.get(0) == '\n') {
                return false;
            }
            long keep = size - 1;
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            ch.truncate(keep);
            ch.force(true);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

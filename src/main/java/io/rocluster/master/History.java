package io.rocluster.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rocluster.RoclusterException;
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
            try {
                out.add(MasterJson.LINE.readValue(line, HistoryEntry.class));
            } catch (JsonProcessingException e) {
                throw new RoclusterException(file + " line " + n + " is not a history entry (" + e.getOriginalMessage()
                        + "): restore the file from a backup or remove that line");
            }
        }
        return out;
    }

    /** The newest entry, or null. */
    HistoryEntry last() {
        List<HistoryEntry> all = read();
        return all.isEmpty() ? null : all.get(all.size() - 1);
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

package io.rocluster.archive;

import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The way a regular file's bytes take from the tar reader to the disk during an extraction: copied once into
 * native memory, written to the file from there, and, when the tar is held to an index, hashed from there on a
 * thread of its own, so that the digest of every file (written or hardlinked) is computed from the tar's bytes
 * without holding up the thread that makes the system calls.
 *
 * <p>Files are packed one after another into 1 MiB buffers, and a buffer goes to the hashing thread only when it
 * is full (or at the end): thousands of small files cost a few hand-offs, not one each. The hashing thread feeds
 * each file's pieces, in order, to one SHA-256 and checks the result against the file's index entry
 * ({@link IndexCheck#content}); a mismatch stops the extraction at the next hand-off, or at {@link #finish()} at the
 * latest, before anything extracted is kept.
 */
final class FileContents implements AutoCloseable {

    static final int BUFFER = 1 << 20;
    private static final int BUFFERS = 4;

    /** One buffer and the pieces of files it holds, in tar order. */
    private static final class Batch {
        final Memory mem = new Memory(BUFFER);
        int used;
        int pieces;
        /** Per piece: offset and length in {@link #mem}; an end of a file has length -1 and its entry in ends. */
        int[] offsets = new int[256];
        int[] lengths = new int[256];
        FileEntry[] ends = new FileEntry[256];

        void add(int offset, int length, FileEntry end) {
            if (pieces == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, pieces * 2);
                lengths = java.util.Arrays.copyOf(lengths, pieces * 2);
                ends = java.util.Arrays.copyOf(ends, pieces * 2);
            }
            offsets[pieces] = offset;
            lengths[pieces] = length;
            ends[pieces] = end;
            pieces++;
        }

        void clear() {
            used = 0;
            java.util.Arrays.fill(ends, 0, pieces, null);
            pieces = 0;
        }
    }

    private static final Batch END = new Batch();

    private final IndexCheck index;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Thread worker;
    private volatile Throwable failure;
    private Batch current;

    /**
     * @param index the index whose digests the contents must have, or null to only pass bytes through (no thread)
     */
    FileContents(IndexCheck index) {
        this.index = index;
        current = new Batch();
        if (index == null) {
            worker = null;
            return;
        }
        for (int i = 1; i < BUFFERS; i++) {
            empty.add(new Batch());
        }
        worker = new Thread(this::hashLoop, "rocluster-file-digests");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Passes the rest of the current entry's content from {@code reader} to {@code out} (null: a file that is
     * hardlinked, not written) and, with an index, to the digest checked against {@code indexed}.
     */
    void transfer(TarReader reader, ExtractTarget.NewFile out, FileEntry indexed) throws IOException {
        boolean hash = index != null && indexed != null;
        reader.transferContent((b, off, len) -> {
            while (len > 0) {
                if (current.used == BUFFER) {
                    next();
                }
                int n = Math.min(len, BUFFER - current.used);
                int at = current.used;
                current.mem.write(at, b, off, n);
                current.used += n;
                if (out != null) {
                    out.write(current.mem, at, n);
                }
                if (hash) {
                    current.add(at, n, null);
                }
                off += n;
                len -= n;
            }
        });
        if (hash) {
            current.add(0, -1, indexed);
        }
    }

    /** Waits until every file handed over has been hashed and checked; throws the first mismatch. */
    void finish() throws IOException {
        if (worker == null) {
            return;
        }
        handOff(current);
        current = null;
        put(END);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
        rethrow();
    }

    /** Stops the hashing thread (after a failure elsewhere, or after {@link #finish()}). */
    @Override
    public void close() {
        if (worker != null && worker.isAlive()) {
            worker.interrupt();
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The current buffer is full: hand it over (with an index) or reuse it (bytes already written). */
    private void next() throws IOException {
        if (worker == null) {
            current.clear();
            return;
        }
        handOff(current);
        try {
            current = empty.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    private void handOff(Batch b) throws IOException {
        rethrow();
        put(b);
    }

    private void put(Batch b) throws IOException {
        try {
            full.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    private void rethrow() throws IOException {
        Pipe.rethrow(failure);
    }

    private void hashLoop() {
        Sha256 digest = Sha256.create();
        try {
            while (true) {
                Batch b = full.take();
                if (b == END) {
                    return;
                }
                if (failure == null) {
                    try {
                        for (int i = 0; i < b.pieces; i++) {
                            if (b.lengths[i] >= 0) {
                                digest.update(b.mem.share(b.offsets[i]), b.lengths[i]);
                            } else {
                                String hex = digest.hex();
                                digest = Sha256.create();
                                index.content(b.ends[i], hex);
                            }
                        }
                    } catch (Throwable t) {
                        failure = t; // the producer sees it at its next hand-off
                    }
                }
                b.clear();
                empty.put(b);
            }
        } catch (InterruptedException e) {
            // closed early: the extraction failed elsewhere
        }
    }
}

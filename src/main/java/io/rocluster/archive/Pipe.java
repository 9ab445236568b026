package io.rocluster.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Moves one stage of a byte stream to its own thread, so that on a small machine the SHA-256 of the tar
 * stream and the (de)compressor run beside the file-system work instead of after it. Buffers circulate
 * between the two threads (no copying beyond the hand-over) and a failure on either side surfaces on
 * the caller's thread.
 */
final class Pipe {

    static final int CHUNK = 1 << 20;
    private static final int DEPTH = 4;
    /** Buffers in flight on the reading side: some being filled, digested and consumed at once. */
    private static final int READ_DEPTH = 6;

    private record Chunk(byte[] data, int length) {}

    private static final Chunk END = new Chunk(new byte[0], -1);

    private Pipe() {}

    /** Surfaces a worker's failure (if any) on the caller's thread, unchanged where possible. */
    static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t != null) {
            throw new IOException(t);
        }
    }

    /**
     * The writing side: {@link #handOff} gives a full buffer to the worker, which digests it and writes it
     * to {@code out}, and returns an empty buffer to fill next.
     */
    static final class Writer {
        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH + 1);
        private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(DEPTH + 1);
        private final Thread worker;
        private volatile Throwable failure;

        Writer(OutputStream out, Sha256 digest) {
            for (int i = 0; i < DEPTH; i++) {
                empty.add(new byte[CHUNK]);
            }
            worker = new Thread(() -> {
                try {
                    while (true) {
                        Chunk c = full.take();
                        if (c == END) {
                            out.flush();
                            return;
                        }
                        if (failure == null) {
                            try {
                                digest.update(c.data(), 0, c.length());
                                out.write(c.data(), 0, c.length());
                            } catch (Throwable t) {
                                failure = t; // keep draining so the producer never blocks forever
                            }
                        }
                        empty.put(c.data());
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            }, "rocluster-tar-writer");
            worker.setDaemon(true);
            worker.start();
        }

        byte[] firstBuffer() throws IOException {
            return take();
        }

        /** Queues {@code length} bytes of {@code buf} and returns an empty buffer. */
        byte[] handOff(byte[] buf, int length) throws IOException {
            check();
            try {
                full.put(new Chunk(buf, length));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing");
            }
            return take();
        }

        /** Waits until everything queued has been written and flushed. */
        void finish() throws IOException {
            try {
                full.put(END);
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing");
            }
            check();
        }

        /** Gives up after a failure elsewhere: the worker stops without writing what is still queued. */
        void abort() {
            if (failure == null) {
                failure = new IOException("aborted");
            }
            full.offer(END);
        }

        private byte[] take() throws IOException {
            try {
                return empty.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing");
            }
        }

        private void check() throws IOException {
            rethrow(failure);
        }
    }

    /**
     * The reading side, in two stages so that decompression and the stream digest use two processors
     * instead of one: a worker reads (and decompresses) ahead into buffers, a second one digests them in
     * order, and the caller consumes buffers the digest has seen. (When the caller's own work is light, as
     * in an incremental deploy that mostly hardlinks, decompression plus SHA-256 on a single thread was the
     * critical path.) Without a stream digest ({@link Sha256#NONE}: deploy hashes each file instead) there is no
     * second stage: the reading thread hands its buffers straight to the caller.
     */
    static final class Reader extends InputStream {
        private final BlockingQueue<Chunk> read = new ArrayBlockingQueue<>(READ_DEPTH + 1);
        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(READ_DEPTH + 1);
        private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(READ_DEPTH + 1);
        private final InputStream in;
        private final Thread worker;
        private final Thread digester;
        private volatile Throwable failure;
        private Chunk current;
        private int pos;
        private boolean ended;

        Reader(InputStream in, Sha256 digest) {
            this.in = in;
            for (int i = 0; i < READ_DEPTH; i++) {
                empty.add(new byte[CHUNK]);
            }
            BlockingQueue<Chunk> out = digest == Sha256.NONE ? full : read;
            worker = stage("rocluster-tar-reader", out, () -> {
                while (true) {
                    byte[] b = empty.take();
                    int n = in.readNBytes(b, 0, b.length);
                    if (n > 0) {
                        out.put(new Chunk(b, n));
                    }
                    if (n < b.length) {
                        out.put(END);
                        return;
                    }
                }
            });
            if (digest == Sha256.NONE) {
                digester = null;
                worker.start();
                return;
            }
            digester = stage("rocluster-tar-digest", full, () -> {
                while (true) {
                    Chunk c = read.take();
                    if (c != END) {
                        digest.update(c.data(), 0, c.length());
                    }
                    full.put(c);
                    if (c == END) {
                        return;
                    }
                }
            });
            worker.start();
            digester.start();
        }

        private interface StageBody {
            void run() throws Exception;
        }

        /**
         * A daemon thread running {@code body}; a failure is kept for the consumer and ends {@code downstream},
         * an interrupt (the consumer closed early) just ends the thread.
         */
        private Thread stage(String name, BlockingQueue<Chunk> downstream, StageBody body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (InterruptedException e) {
                    // closed early by the consumer
                } catch (Throwable e) {
                    failure = e;
                    downstream.offer(END);
                }
            }, name);
            t.setDaemon(true);
            return t;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (current == null || pos == current.length()) {
                if (!next()) {
                    return -1;
                }
            }
            int n = Math.min(len, current.length() - pos);
            System.arraycopy(current.data(), pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean next() throws IOException {
            if (ended) {
                return false;
            }
            if (current != null) {
                empty.add(current.data());
                current = null;
            }
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
            if (c == END) {
                ended = true;
                rethrow(failure);
                return false;
            }
            current = c;
            pos = 0;
            return true;
        }

        /** Stops reading ahead without closing the source (which belongs to the caller). */
        void stop() {
            worker.interrupt();
            if (digester != null) {
                digester.interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            stop();
            try {
                worker.join();
                if (digester != null) {
                    digester.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            in.close();
        }
    }
}

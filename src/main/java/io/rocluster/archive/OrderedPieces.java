package io.rocluster.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pieces of a stream compressed on a thread pool and written in the order they were handed in, with a bounded
 * number waiting (memory stays a few pieces per thread): what the parallel gzip and the framed zstd writers
 * share. The output depends only on the pieces, never on the threads' timing.
 */
final class OrderedPieces implements AutoCloseable {

    private final OutputStream out;
    private final ExecutorService workers;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private final int maxPending;

    OrderedPieces(OutputStream out, int threads, String threadName) {
        this.out = out;
        this.maxPending = 2 * threads;
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a piece; writes the oldest ones while too many wait. */
    void submit(Callable<byte[]> piece) throws IOException {
        pending.add(workers.submit(piece));
        while (pending.size() >= maxPending) {
            writeOldest();
        }
    }

    /** Writes every queued piece. */
    void drain() throws IOException {
        while (!pending.isEmpty()) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        Future<byte[]> f = pending.poll();
        try {
            out.write(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
    }

    /** Stops the threads (pieces not yet written are dropped). */
    @Override
    public void close() {
        workers.shutdownNow();
    }
}

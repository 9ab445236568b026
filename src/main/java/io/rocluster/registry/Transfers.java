package io.rocluster.registry;

import io.rocluster.RoclusterException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a transfer running on another thread, its failure rethrown as the caller's. */
final class Transfers {

    private Transfers() {}

    static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted during a registry transfer"));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            if (c instanceof java.io.IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new RoclusterException("registry transfer failed: " + c, c);
        }
    }
}

package io.rocluster.master;

import java.io.PrintStream;

/**
 * A command's hold on a master: the configuration read, the lock taken, and recovery run. Every
 * service that reads or changes versions opens one, so no command ever sees a half-finished change.
 */
final class MasterSession implements AutoCloseable {

    private final MasterLayout layout;
    private final MasterConfig config;
    private final MasterLock lock;

    private MasterSession(MasterLayout layout, MasterConfig config, MasterLock lock) {
        this.layout = layout;
        this.config = config;
        this.lock = lock;
    }

    /** Opens the master, waiting for the lock; notices (waiting, recovery) go to {@code notices}. */
    static MasterSession open(MasterLayout layout, PrintStream notices) {
        layout.requireInitialised();
        MasterConfig config = MasterConfig.read(layout.config());
        MasterLock lock = MasterLock.acquire(layout.lock(), notices);
        try {
            new MasterRecovery(layout, notices).run();
            CrashPoints.reach("locked");
            return new MasterSession(layout, config, lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    MasterLayout layout() {
        return layout;
    }

    MasterConfig config() {
        return config;
    }

    Versions versions() {
        return new Versions(layout);
    }

    History history() {
        return new History(layout.history());
    }

    BootConfigStore configs() {
        return new BootConfigStore(layout);
    }

    @Override
    public void close() {
        lock.close();
    }
}

package io.rocluster.master;

/**
 * Fault-injection points for the crash tests: when the environment variable
 * {@code ROCLUSTER_CRASH_PAUSE_MS} is set, each named point between two durable steps of deploy,
 * promote, rollback and gc says so on stderr ({@code rocluster: crash point NAME}) and pauses that long,
 * so a test can SIGKILL the process exactly there, or a random moment after, whatever the machine's
 * speed. Unset (always, outside the tests), a point costs one field read.
 */
final class CrashPoints {

    private static final long PAUSE_MS = parse(System.getenv("ROCLUSTER_CRASH_PAUSE_MS"));

    private CrashPoints() {}

    private static long parse(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Marks a point between two durable steps. */
    static void reach(String point) {
        if (PAUSE_MS > 0) {
            System.err.println("rocluster: crash point " + point);
            System.err.flush();
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

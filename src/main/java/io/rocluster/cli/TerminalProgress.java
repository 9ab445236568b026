package io.rocluster.cli;

import java.io.PrintStream;

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, otherwise one line per phase (logs and
 * pipes get no carriage returns).
 */
final class TerminalProgress {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private String phase = "";
    private int lastPercent = -1;

    TerminalProgress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Whether stderr is a terminal (no redirection of stdin/stdout/stderr). */
    static boolean stderrIsTerminal() {
        return System.console() != null;
    }

    void update(String newPhase, long done, long total) {
        boolean phaseChanged = !newPhase.equals(phase);
        if (phaseChanged && terminal && lastPercent >= 0) {
            err.println();
            lastPercent = -1;
        }
        phase = newPhase;
        if (!terminal) {
            if (phaseChanged) {
                err.println("rocluster: " + newPhase + (total > 0 ? " (" + ByteSizes.human(total) + ")" : ""));
            }
            return;
        }
        if (total <= 0) {
            if (phaseChanged) {
                err.print("\r" + newPhase + "…");
                lastPercent = 0;
            }
            return;
        }
        int percent = (int) Math.min(100, done * 100 / total);
        if (percent == lastPercent && !phaseChanged) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        err.print("\r" + newPhase + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + percent + "% "
                + ByteSizes.human(done) + " / " + ByteSizes.human(total) + "  " + seconds + " s ");
        err.flush();
    }

    /** Ends the bar's line. */
    void finish() {
        if (terminal && lastPercent >= 0) {
            err.println();
        }
    }
}

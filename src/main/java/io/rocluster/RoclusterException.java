package io.rocluster;

/**
 * An error the user can cause and fix: a bad spec, a corrupt artefact, a hostile tarball, a missing
 * Docker engine. Its message is one line that names the problem and says what to do; the CLI prints
 * it without a stack trace (unless {@code --debug}) and exits 1.
 */
public class RoclusterException extends RuntimeException {

    public RoclusterException(String message) {
        super(message);
    }

    public RoclusterException(String message, Throwable cause) {
        super(message, cause);
    }
}

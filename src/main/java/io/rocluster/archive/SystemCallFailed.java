package io.rocluster.archive;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A libc call that failed, worded as one line for the operator: the call, the file and the system's reason
 * ({@code "mkdir /data/cluster/images/x/root/etc: No space left on device"}). Its {@link #toString()} is that line
 * alone, so the command line prints it as it prints any other I/O failure but without a Java class name;
 * {@code --debug} still shows the stack trace.
 */
final class SystemCallFailed extends IOException {

    private final int errno;

    SystemCallFailed(String call, Path file, LastErrorException e) {
        super(call + " " + file + ": " + reason(e), e);
        this.errno = e.getErrorCode();
    }

    /** The errno the call failed with. */
    int errno() {
        return errno;
    }

    /** The system's text for the error, without JNA's "[errno] " prefix. */
    private static String reason(LastErrorException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.startsWith("[") && m.indexOf("] ") > 0 ? m.substring(m.indexOf("] ") + 2) : m;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}

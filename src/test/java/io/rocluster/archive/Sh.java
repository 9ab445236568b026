package io.rocluster.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs real tools (tar, bsdtar, setcap, mknod…) in tests, failing with their output if they fail. */
final class Sh {

    private Sh() {}

    static String run(Path dir, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-euc", script).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new AssertionError("sh failed (" + rc + "): " + script + "\n" + out);
        }
        return out;
    }
}

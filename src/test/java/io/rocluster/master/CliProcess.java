package io.rocluster.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged CLI ({@code java -jar target/rocluster.jar}) as a separate process, as an operator
 * would: the crash and concurrency tests need real processes to kill and to race.
 */
public final class CliProcess {

    static final Path JAR = Path.of("target/rocluster.jar").toAbsolutePath();

    /** A finished run. */
    public record Run(int code, String out, String err) {
        public Run requireOk() {
            if (code != 0) {
                throw new AssertionError("rocluster exited " + code + ": " + err + out);
            }
            return this;
        }
    }

    private CliProcess() {}

    static ProcessBuilder builder(Path workDir, Map<String, String> env, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run through mvn verify (package comes first)");
        }
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("ROCLUSTER_MASTER");
        pb.environment().putAll(env);
        return pb;
    }

    static Process start(Path workDir, Map<String, String> env, Path outFile, String... args) throws IOException {
        return builder(workDir, env, args).redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
    }

    public static Run run(Path workDir, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile("rocluster-out", ".txt");
        Path err = Files.createTempFile("rocluster-err", ".txt");
        try {
            Process p = builder(workDir, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            // A hang detector, not a timing: a boot test may wait 900 s for its guest, then its power-off.
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("rocluster " + String.join(" ", args) + " did not finish in 30 minutes");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public static Run run(Path workDir, String... args) throws Exception {
        return run(workDir, Map.of(), args);
    }
}

package io.rocluster.master;

import com.fasterxml.jackson.databind.JsonNode;
import io.rocluster.archive.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The part of {@code images/<v>/boot-test.json} (written by {@code rocluster boot-test}) that promote
 * relies on: which version it tested, whether it passed, and why not.
 *
 * @param version   the version tested
 * @param passed    the verdict
 * @param reason    the verdict's reason
 * @param startedAt when the test started
 * @param readable  false when the file exists but is not valid JSON of that shape
 */
public record BootTestResult(String version, boolean passed, String reason, String startedAt, boolean readable) {

    /**
     * Records a boot test's outcome as {@code images/<v>/boot-test.json}, durably: the verdict is the boot
     * test's (JSON with at least {@code version} and {@code passed}); the master reads back what {@link #read}
     * needs.
     */
    public static void write(MasterLayout layout, String version, String json) {
        Durable.writeString(layout.bootTest(version), json);
    }

    /** Reads the file; null when it does not exist. */
    public static BootTestResult read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode n = MasterJson.LENIENT.readTree(file.toFile());
            if (n == null || !n.isObject() || !n.path("passed").isBoolean() || !n.path("version").isTextual()) {
                return new BootTestResult(null, false, "not a boot-test result", null, false);
            }
            return new BootTestResult(n.get("version").asText(), n.get("passed").asBoolean(),
                    n.path("reason").asText(""), n.path("startedAt").asText(null), true);
        } catch (IOException e) {
            return new BootTestResult(null, false, "unreadable: " + e.getMessage(), null, false);
        }
    }
}

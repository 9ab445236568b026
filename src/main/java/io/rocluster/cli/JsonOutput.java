package io.rocluster.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code --json} prints, the same way for every verb: one JSON document on stdout, the service's own
 * records serialised by Jackson, so the keys are the records' component names (camelCase, as {@code list} and
 * {@code build} always printed them) and stay as stable as the records. Every key is present, null when there is
 * nothing; sizes are bytes, times ISO-8601 text, paths plain text (Jackson's default for a path is a file: URI).
 *
 * <p>Errors print no JSON: they stay one line on stderr with exit 1 (2 for usage), so stdout is either one whole
 * document or empty. Where the verb's result is itself a failure (verify found changes, a boot test failed,
 * inspect found a problem) the document is printed and the exit code is 1.
 */
final class JsonOutput {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new SimpleModule("rocluster-cli")
                    .addSerializer(Path.class, ToStringSerializer.instance)
                    .addSerializer(FileTime.class, ToStringSerializer.instance))
            .build();

    private JsonOutput() {}

    /** Prints {@code value} through the command's own writer. */
    static void print(CommandSpec spec, Object value) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(text(value));
        out.flush();
    }

    private static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}

package io.rocluster.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.rocluster.spec.ImageSpec.SshHostKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an effective spec back out, as {@code validate} prints it. Field order is the records' component
 * order and enum values are their spec names. A default the spec removed is written as its {@code "!entry"},
 * so the output is itself a spec that loads to the same effective spec.
 */
public final class SpecWriter {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpecWriter() {}

    /** The effective spec as YAML, removed defaults as {@code "!entry"}. */
    public static String toYaml(ImageSpec spec) {
        try {
            return YAML.writeValueAsString(withRemovals(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("spec records always serialise", e);
        }
    }

    /** The effective spec as indented JSON, removed defaults as {@code "!entry"}. */
    public static String toJson(ImageSpec spec) {
        try {
            return JSON.writeValueAsString(withRemovals(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("spec records always serialise", e);
        }
    }

    private static ObjectNode withRemovals(ImageSpec spec) {
        ObjectNode tree = JSON.valueToTree(spec);
        ProfileDefaults d = ProfileDefaults.of(spec.profile());
        mark((ObjectNode) tree.get("rwtab"), "dirs", spec.rwtab().dirs(), d.rwtab().dirs());
        mark((ObjectNode) tree.get("rwtab"), "empty", spec.rwtab().empty(), d.rwtab().empty());
        mark((ObjectNode) tree.get("rwtab"), "files", spec.rwtab().files(), d.rwtab().files());
        List<String> state = new ArrayList<>(d.statetab());
        if (spec.sshHostKeys() == SshHostKeys.PER_CLIENT) {
            state.add(SpecDefaults.SSH_DIR);
        }
        mark(tree, "statetab", spec.statetab(), state);
        mark((ObjectNode) tree.get("units"), "disable", spec.units().disable(), d.units().disable());
        mark((ObjectNode) tree.get("units"), "mask", spec.units().mask(), d.units().mask());
        mark((ObjectNode) tree.get("initramfs"), "modules", spec.initramfs().modules(), d.modules());
        mark((ObjectNode) tree.get("initramfs"), "drivers", spec.initramfs().drivers(), d.drivers());
        mark((ObjectNode) tree.get("initramfs"), "omitModules", spec.initramfs().omitModules(), d.omitModules());
        return tree;
    }

    private static void mark(ObjectNode parent, String field, List<String> effective, List<String> defaults) {
        ArrayNode list = (ArrayNode) parent.get(field);
        for (String def : defaults) {
            if (!effective.contains(def)) {
                list.add("!" + def);
            }
        }
    }
}

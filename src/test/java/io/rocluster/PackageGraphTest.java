package io.rocluster;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package graph the README's "Developing" section states: cli → nightly → (build, registry, master, boot) →
 * (serving, spec, artefact, archive, container, readonly), cli may use any of them, registry may use boot and
 * master (sync deploys, boot-tests and promotes), boot may use master, nothing depends back and there is no cycle.
 * Checked on the compiled classes, so a fully qualified name counts as much as an import. A new package
 * (registry, …) gets its layer here.
 */
class PackageGraphTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rocluster");

    private static final List<String> LAYERS = List.of("cli", "nightly", "build", "registry", "boot", "master",
            "serving", "spec", "artefact", "archive", "container", "readonly");

    @Test
    void layersDependOnlyDownwards() {
        assertHolds(Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.rocluster.cli..")
                .layer("nightly").definedBy("io.rocluster.nightly..")
                .layer("build").definedBy("io.rocluster.build..")
                .layer("registry").definedBy("io.rocluster.registry..")
                .layer("boot").definedBy("io.rocluster.boot..")
                .layer("master").definedBy("io.rocluster.master..")
                .layer("serving").definedBy("io.rocluster.serving..")
                .layer("spec").definedBy("io.rocluster.spec..")
                .layer("artefact").definedBy("io.rocluster.artefact..")
                .layer("archive").definedBy("io.rocluster.archive..")
                .layer("container").definedBy("io.rocluster.container..")
                .layer("readonly").definedBy("io.rocluster.readonly..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("nightly").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("build").mayOnlyBeAccessedByLayers("cli", "nightly")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("boot").mayOnlyBeAccessedByLayers("cli", "registry", "nightly")
                .whereLayer("master").mayOnlyBeAccessedByLayers("cli", "boot", "registry", "nightly")
                .whereLayer("serving").mayOnlyBeAccessedByLayers("cli", "build", "master", "boot", "registry"));
    }

    @Test
    void noCycles() {
        assertHolds(slices().matching("io.rocluster.(*)..").should().beFreeOfCycles());
    }

    /** The rule holds on the main classes, and they are there: a rule over no classes would hold vacuously. */
    private static void assertHolds(ArchRule rule) {
        for (String layer : LAYERS) {
            assertThat(MAIN.stream().filter(c -> c.getPackageName().startsWith("io.rocluster." + layer)))
                    .as("classes in io.rocluster.%s", layer).isNotEmpty();
        }
        EvaluationResult result = rule.evaluate(MAIN);
        assertThat(result.hasViolation()).as(String.join("\n", result.getFailureReport().getDetails())).isFalse();
    }
}

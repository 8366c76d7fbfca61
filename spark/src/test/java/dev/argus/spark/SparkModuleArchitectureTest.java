package dev.argus.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The job reuses Argus's composition root: it never wires or configures an adapter itself. */
class SparkModuleArchitectureTest {
    private static final JavaClasses JOB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.argus.spark");

    @Test
    void reachesArgusOnlyThroughTheAppsConfigurationAndWiring() {
        noClasses().that().resideInAPackage("dev.argus.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.argus.onnx..", "dev.argus.djl..", "dev.argus.tensorrt..",
                        "dev.argus.imageio..", "dev.argus.modelhub..", "dev.argus.grpc..", "dev.argus.rest..", "dev.argus.cloudflare..",
                        "dev.argus.bench..", "dev.argus.ports.service..", "com.google.inject..")
                .because("executors build Argus with ArgusConfig.from and Argus.start, exactly as the argus command does")
                .check(JOB);
    }
}

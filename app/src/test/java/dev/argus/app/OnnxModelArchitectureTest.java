package dev.argus.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * onnx-model is a library of ONNX files as data, shared by adapters (adapter-tensorrt's FP16 conversion, the int8
 * quantizer): it must stay free of every engine, framework and Argus module, so that depending on it never makes one
 * adapter depend on another.
 */
class OnnxModelArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.argus");
    }

    @Test
    void onnxModelDependsOnlyOnProtobufAndTheJdk() {
        classes().that().resideInAPackage("dev.argus.onnxmodel..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.argus.onnxmodel..", "com.google.protobuf..", "java..")
                .check(classes);
    }
}

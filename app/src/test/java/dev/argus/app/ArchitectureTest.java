package dev.argus.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hexagonal dependency rule, enforced on the production classes of every module. */
class ArchitectureTest {
    private static final List<String> ADAPTERS = List.of("dev.argus.onnx..", "dev.argus.djl..", "dev.argus.tensorrt..", "dev.argus.imageio..", "dev.argus.modelhub..",
            "dev.argus.grpc..", "dev.argus.rest..", "dev.argus.cloudflare..", "dev.argus.otlp..");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/testkit/"))
                .importPackages("dev.argus");
    }

    @Test
    void domainDependsOnTheJdkOnly() {
        classes().that().resideInAPackage("dev.argus.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.argus.domain..", "java..")
                .check(classes);
    }

    @Test
    void portsDependOnTheDomainAndTheJdkOnly() {
        classes().that().resideInAPackage("dev.argus.ports..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.argus.ports..", "dev.argus.domain..", "java..")
                .check(classes);
    }

    /**
     * The inbound ports (what the front ends call) and the outbound ports (what the core calls) are two independent
     * sides of the hexagon; the types both sides exchange ({@code ModelInfo}, {@code FloatTensor}) live in the neutral
     * {@code dev.argus.ports.model}, which knows neither side.
     */
    @Test
    void inboundAndOutboundPortsAreIndependentOfEachOther() {
        noClasses().that().resideInAPackage("dev.argus.ports.in..")
                .should().dependOnClassesThat().resideInAPackage("dev.argus.ports.out..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.argus.ports.out..")
                .should().dependOnClassesThat().resideInAPackage("dev.argus.ports.in..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.argus.ports.model..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.argus.ports.in..", "dev.argus.ports.out..",
                        "dev.argus.ports.service..")
                .check(classes);
    }

    @Test
    void adaptersNeverDependOnEachOther() {
        for (String adapter : ADAPTERS) {
            String[] others = ADAPTERS.stream().filter(a -> !a.equals(adapter)).toArray(String[]::new);
            noClasses().that().resideInAPackage(adapter)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(classes);
        }
    }

    @Test
    void nothingButTheAppDependsOnTheApp() {
        noClasses().that().resideOutsideOfPackage("dev.argus.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.argus.app..")
                .check(classes);
    }

    @Test
    void guiceLivesOnlyInTheAppAndInEachAdaptersModule() {
        DescribedPredicate<JavaClass> adapterModule = JavaClass.Predicates.simpleNameEndingWith("Module")
                .and(JavaClass.Predicates.resideInAnyPackage(ADAPTERS.toArray(String[]::new)))
                .as("an adapter's *Module");
        noClasses().that().resideOutsideOfPackage("dev.argus.app..")
                .and(DescribedPredicate.not(adapterModule))
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
                .check(classes);
    }

    @Test
    void adaptersExposeOnlyTheirNamedFace() {
        classes().that().resideInAPackage("dev.argus.onnx..").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("Onnx")
                .check(classes);
        classes().that().resideInAPackage("dev.argus.imageio..").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("ImageIo")
                .check(classes);
        classes().that().resideInAPackage("dev.argus.djl..").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("Djl")
                .check(classes);
        classes().that().resideInAPackage("dev.argus.cloudflare..").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("Cloudflare")
                .check(classes);
        classes().that().resideInAPackage("dev.argus.otlp..").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("Otlp")
                .check(classes);
        classes().that().resideInAPackage("dev.argus.grpc").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("Grpc")
                .check(classes);
        // the package itself: dev.argus.tensorrt.onnx holds generated protobuf code (the ONNX subset)
        classes().that().resideInAPackage("dev.argus.tensorrt").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("TensorRt")
                .check(classes);
        classes().that().resideInAPackage("dev.argus.rest..").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("Rest")
                .check(classes);
        classes().that().resideInAPackage("dev.argus.modelhub..").and().areTopLevelClasses().and().arePublic()
                .should().haveSimpleNameStartingWith("Hub")
                .check(classes);
    }
}

package dev.argus.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendSpecTest {
    private static final List<String> KNOWN = List.of("onnx", "djl-pytorch", "djl-tensorflow", "grpc", "cloudflare");

    private static List<BackendSpec> parse(String list) {
        return BackendSpec.parseList(list, KNOWN);
    }

    @Test
    void parsesNamesWithAndWithoutValuesInOrder() {
        List<BackendSpec> specs = parse("onnx,djl-pytorch=m.pt,grpc=h:1,rest=http://x:8080");
        assertThat(specs).containsExactly(
                new BackendSpec("onnx", "onnx", Optional.empty()),
                new BackendSpec("djl-pytorch", "djl-pytorch", Optional.of("m.pt")),
                new BackendSpec("grpc", "grpc", Optional.of("h:1")),
                new BackendSpec("rest", "cloudflare", Optional.of("http://x:8080")));
    }

    @Test
    void labelsListTheSameBackendTwiceAgainstDifferentServers() {
        List<BackendSpec> specs = parse("onnx=m.onnx,rest:argus=http://127.0.0.1:8080,rest:peer=http://127.0.0.1:18080,grpc:argus=localhost:50051");
        assertThat(specs).extracting(BackendSpec::id).containsExactly("onnx", "rest:argus", "rest:peer", "grpc:argus");
        assertThat(specs).extracting(BackendSpec::name).containsExactly("onnx", "rest", "rest", "grpc");
        assertThat(specs).extracting(BackendSpec::backend).containsExactly("onnx", "cloudflare", "cloudflare", "grpc");
        assertThat(specs.get(2).value()).contains("http://127.0.0.1:18080");
        assertThat(parse("rest:peer{A=1}=http://x:1").get(0).name()).isEqualTo("rest");
        assertThatThrownBy(() -> parse("rest:a b=http://x:1")).isInstanceOf(ArgusException.class).hasMessageContaining("label");
        assertThatThrownBy(() -> parse("rest:p=http://x:1,rest:p=http://y:1")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> parse("nope:p=x")).hasMessageContaining("Unknown benchmark backend 'nope'");
    }

    @Test
    void restRunsAsTheCloudflareBackendAgainstTheGivenUrl() {
        BackendSpec rest = parse("rest=http://x:8080").get(0);
        assertThat(rest.id()).isEqualTo("rest");
        assertThat(rest.backend()).isEqualTo("cloudflare");
        assertThat(rest.value()).contains("http://x:8080");
    }

    @Test
    void trimsSpacesAroundNamesValuesAndItemsAndSkipsEmptyItems() {
        List<BackendSpec> specs = parse(" onnx , , djl-pytorch = m.pt ,");
        assertThat(specs).extracting(BackendSpec::id).containsExactly("onnx", "djl-pytorch");
        assertThat(specs.get(1).value()).contains("m.pt");
    }

    @Test
    void keepsEverythingAfterTheFirstEqualsSignAsTheValue() {
        assertThat(parse("rest=http://x:8080/?a=b").get(0).value()).contains("http://x:8080/?a=b");
    }

    @Test
    void refusesAnUnknownBackendListingTheValidOnes() {
        assertThatThrownBy(() -> parse("onnx,tensorflow=m"))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("'tensorflow'")
                .hasMessageContaining("onnx, djl-pytorch, djl-tensorflow, grpc, cloudflare")
                .hasMessageContaining("rest");
    }

    @Test
    void rejectsADuplicateBackend() {
        assertThatThrownBy(() -> parse("onnx,djl-pytorch=a.pt,djl-pytorch=b.pt"))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("'djl-pytorch'")
                .hasMessageContaining("twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rest", "rest=", "rest=  "})
    void refusesRestWithoutAUrl(String item) {
        assertThatThrownBy(() -> parse("onnx," + item))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("rest=http://host:8080");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "grpc=", "grpc= "})
    void refusesGrpcWithoutAnAddress(String item) {
        assertThatThrownBy(() -> parse(item + ",onnx"))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("grpc=host:50051");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ",", " , ,"})
    void refusesAnEmptyList(String list) {
        assertThatThrownBy(() -> parse(list))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("No backends");
    }

    @Test
    void onlyGrpcCloudflareAndRestAreRemote() {
        List<BackendSpec> specs = parse("onnx,djl-pytorch=m.pt,djl-tensorflow,grpc=h:1,cloudflare,rest=http://x:8080");
        assertThat(specs).extracting(BackendSpec::id, BackendSpec::remote).containsExactly(
                org.assertj.core.groups.Tuple.tuple("onnx", false),
                org.assertj.core.groups.Tuple.tuple("djl-pytorch", false),
                org.assertj.core.groups.Tuple.tuple("djl-tensorflow", false),
                org.assertj.core.groups.Tuple.tuple("grpc", true),
                org.assertj.core.groups.Tuple.tuple("cloudflare", true),
                org.assertj.core.groups.Tuple.tuple("rest", true));
    }

    @Test
    void aBlankValueIsNoValue() {
        assertThat(new BackendSpec("onnx", "onnx", Optional.of(" ")).value()).isEmpty();
        assertThat(new BackendSpec("onnx", "onnx", null).value()).isEmpty();
    }

    @Test
    void refusesABlankName() {
        assertThatThrownBy(() -> new BackendSpec(" ", "onnx", Optional.empty())).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> new BackendSpec("onnx", null, Optional.empty())).isInstanceOf(ArgusException.class);
    }

    @Test
    void takesTheWorkersEnvironmentInBracesAndNamesTheBackendWithIt() {
        List<BackendSpec> specs = parse("djl-tensorflow{TF_ENABLE_ONEDNN_OPTS=0}=tf/,"
                + "djl-tensorflow{ TF_ENABLE_ONEDNN_OPTS= ; ONEDNN_MAX_CPU_ISA=AVX2 }=tf/,djl-tensorflow=tf/");
        assertThat(specs).extracting(BackendSpec::id).containsExactly("djl-tensorflow{TF_ENABLE_ONEDNN_OPTS=0}",
                "djl-tensorflow{TF_ENABLE_ONEDNN_OPTS=;ONEDNN_MAX_CPU_ISA=AVX2}", "djl-tensorflow");
        assertThat(specs).allSatisfy(s -> {
            assertThat(s.backend()).isEqualTo("djl-tensorflow");
            assertThat(s.value()).contains("tf/");
        });
        assertThat(specs.get(1).env()).containsExactly(java.util.Map.entry("TF_ENABLE_ONEDNN_OPTS", ""),
                java.util.Map.entry("ONEDNN_MAX_CPU_ISA", "AVX2"));
        assertThat(specs.get(2).env()).isEmpty();
        assertThat(specs.get(0)).hasToString("djl-tensorflow{TF_ENABLE_ONEDNN_OPTS=0}=tf/");
        assertThat(specs).extracting(BackendSpec::name).containsOnly("djl-tensorflow");
        assertThat(parse("rest{SERVER=a}=http://x:1").get(0).name()).isEqualTo("rest");
        // the worker parses the same list and finds its backend by id
        assertThat(parse(specs.get(1).toString()).get(0)).isEqualTo(specs.get(1));
    }

    @Test
    void appliesTheEnvironmentSettingAndRemovingVariables() {
        BackendSpec s = parse("onnx{A=1;B=}=m.onnx").get(0);
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("B", "inherited", "C", "kept"));
        s.applyEnv(env);
        assertThat(env).containsOnly(java.util.Map.entry("A", "1"), java.util.Map.entry("C", "kept"));
    }

    @Test
    void bracesInsideAValueAreTheValues() {
        BackendSpec s = parse("rest=http://x:8080/{a}").get(0);
        assertThat(s.env()).isEmpty();
        assertThat(s.value()).contains("http://x:8080/{a}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnx{A=1=m", "onnx{}=m", "onnx{1A=2}=m", "onnx{A}=m", "onnx{ ; }=m"})
    void refusesAMalformedEnvironment(String item) {
        assertThatThrownBy(() -> parse(item))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("Backend 'onnx{");
    }

    @Test
    void theSameBackendTwiceNeedsDifferentEnvironments() {
        assertThat(parse("onnx{A=1}=m,onnx{A=2}=m")).hasSize(2);
        assertThatThrownBy(() -> parse("onnx{A=1}=m,onnx{ A=1 }=m")).hasMessageContaining("'onnx{A=1}'").hasMessageContaining("twice");
    }

    @Test
    void printsAsWrittenOnTheCommandLine() {
        assertThat(parse("onnx,djl-pytorch=m.pt").stream().map(BackendSpec::toString)).containsExactly("onnx", "djl-pytorch=m.pt");
    }
}

package dev.argus.djl;

import dev.argus.domain.ArgusException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses to start TensorFlow where it would answer wrong. TensorFlow 2.16.1's bundled oneDNN computes wrong results
 * with its AVX-512 kernels on AMD Zen 5 ({@code cpu family} 26): ResNet-50 logits off by up to 0.95, deterministic.
 * Turning oneDNN off ({@code TF_ENABLE_ONEDNN_OPTS=0}) or capping it at AVX2 ({@code ONEDNN_MAX_CPU_ISA=AVX2}) gives the
 * right answers. Both are environment variables that TensorFlow reads when its library loads, so a Java system
 * property set later is too late: the launcher, the benchmark workers, the container and the test runner set
 * {@code TF_ENABLE_ONEDNN_OPTS=0}; where Argus runs inside a JVM it did not start (a Spark executor, an embedding
 * application), this guard is what stops a wrong answer.
 *
 * <p>Affected: AMD CPUs with AVX-512 from family 26 (Zen 5) on; later families are treated as affected until shown
 * otherwise. Zen 3 (no AVX-512) and Zen 4 (family 25) give the right answers with oneDNN on.
 *
 * @param cpu the CPU TensorFlow would run on
 * @param env the process environment (what TensorFlow's native code reads)
 */
record TensorflowCpuGuard(CpuDescription cpu, Map<String, String> env) {
    static final String ONEDNN_OPTS = "TF_ENABLE_ONEDNN_OPTS";
    static final String MAX_CPU_ISA = "ONEDNN_MAX_CPU_ISA";
    /** oneDNN's older name for {@value #MAX_CPU_ISA}, still read by the oneDNN in TF 2.16. */
    static final String LEGACY_MAX_CPU_ISA = "DNNL_MAX_CPU_ISA";
    /** ISA caps that keep oneDNN off AVX-512 (measured right on Zen 5: AVX2; the others are subsets of it). */
    private static final Set<String> SAFE_ISAS = Set.of("SSE41", "AVX", "AVX2");
    private static final int FIRST_AFFECTED_AMD_FAMILY = 26;

    TensorflowCpuGuard {
        env = Map.copyOf(env);
    }

    /** This process: its CPU and its environment. */
    static TensorflowCpuGuard forThisProcess() {
        return new TensorflowCpuGuard(CpuDescription.current(), System.getenv());
    }

    /** Whether TF 2.16.1's oneDNN AVX-512 kernels give wrong answers on this CPU. */
    boolean affectedCpu() {
        return cpu.amd() && cpu.family() >= FIRST_AFFECTED_AMD_FAMILY && cpu.has("avx512f");
    }

    /** How oneDNN will run in TensorFlow, as the environment sets it: for the start-up log line. */
    String oneDnnMode() {
        if (oneDnnOff()) {
            return "oneDNN off (" + ONEDNN_OPTS + "=" + env.get(ONEDNN_OPTS) + ")";
        }
        return maxIsa().map(isa -> "oneDNN on, capped at " + isa).orElse("oneDNN on");
    }

    /**
     * Passes when TensorFlow will answer right here; otherwise throws {@code MODEL_UNAVAILABLE} saying exactly what to
     * set, and where.
     */
    void check() {
        if (!affectedCpu() || oneDnnOff() || maxIsa().filter(SAFE_ISAS::contains).isPresent()) {
            return;
        }
        throw ArgusException.modelUnavailable("djl-tensorflow refuses to start: TensorFlow 2.16.1's oneDNN AVX-512 kernels "
                + "compute wrong results on this CPU, " + cpu.summary() + " (AMD Zen 5 and later; ResNet-50 logits off by up "
                + "to 0.95). Set the environment variable " + ONEDNN_OPTS + "=0 for the process that runs TensorFlow (it "
                + "is read when TensorFlow's library loads, so a -D system property is too late); now it is "
                + describe(ONEDNN_OPTS) + " and " + MAX_CPU_ISA + " is " + describe(MAX_CPU_ISA) + ". The argus "
                + "launcher, the container image and argus bench set it; a Spark job needs --conf "
                + "spark.executorEnv." + ONEDNN_OPTS + "=0 (and, with a local master, " + ONEDNN_OPTS + "=0 exported "
                + "before spark-submit); an application embedding Argus must start its JVM with it. "
                + MAX_CPU_ISA + "=AVX2 also works, but is slower and slows libtorch in the same process too.", null);
    }

    private boolean oneDnnOff() {
        String v = env.get(ONEDNN_OPTS);
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("0") || s.equals("false"); // TensorFlow's ReadBoolFromEnvVar: 0/1/true/false
    }

    private Optional<String> maxIsa() {
        String v = env.get(MAX_CPU_ISA);
        if (v == null || v.isBlank()) {
            v = env.get(LEGACY_MAX_CPU_ISA);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim().toUpperCase(Locale.ROOT));
    }

    private String describe(String key) {
        String v = env.get(key);
        return v == null ? "unset" : "'" + v + "'";
    }
}

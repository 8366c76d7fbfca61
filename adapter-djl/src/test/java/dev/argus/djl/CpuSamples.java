package dev.argus.djl;

/** {@code /proc/cpuinfo} as the machines Argus runs on print it (first processor's block, flags shortened). */
final class CpuSamples {
    private CpuSamples() {
    }

    private static String cpuinfo(String vendor, int family, int model, String name, String flags) {
        return "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: " + family + "\nmodel\t\t: " + model
                + "\nmodel name\t: " + name + "\nflags\t\t: fpu sse sse2 " + flags + "\nbogomips\t: 4191.98\n\n"
                + "processor\t: 1\nvendor_id\t: SomethingElse\ncpu family\t: 99\nflags\t\t: none\n";
    }

    static final String ZEN3 = cpuinfo("AuthenticAMD", 25, 1, "AMD EPYC 7B13", "avx avx2 fma");
    static final String ZEN4 = cpuinfo("AuthenticAMD", 25, 17, "AMD EPYC 9B14",
            "avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni");
    static final String ZEN5 = cpuinfo("AuthenticAMD", 26, 2, "AMD EPYC",
            "avx avx2 fma avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx_vnni avx512_bf16 avx512_vnni avx512_vp2intersect");
    static final String ZEN5_WITHOUT_AVX512 = cpuinfo("AuthenticAMD", 26, 2, "AMD EPYC (AVX-512 masked by the hypervisor)",
            "avx avx2 fma");
    static final String INTEL_SAPPHIRE_RAPIDS = cpuinfo("GenuineIntel", 6, 143, "Intel(R) Xeon(R) Platinum 8481C",
            "avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16 avx512_vnni amx_tile");

    static CpuDescription zen5() {
        return CpuDescription.parse(ZEN5);
    }
}

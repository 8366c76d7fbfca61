package dev.argus.onnxmodel.quant;

import java.util.Set;

/**
 * What {@link QdqQuantizer} does.
 *
 * @param weightBits 8: weights in [-127, 127]; 7: in [-63, 63], for CPUs without VNNI, where the u8 x s8 kernels add
 *                   pairs of products in 16 bits and 8-bit weights can saturate (255 x 127 x 2 > 32767)
 * @param keepFirst  leave the first Conv/Gemm/MatMul (in graph order) in float
 * @param keepLast   leave the last Conv/Gemm/MatMul (in graph order) in float: the classifier head
 * @param keepNodes  names of further nodes left in float; a name ending in {@code *} keeps every node whose name starts
 *                   with what comes before it ({@code /layer1/*})
 */
public record QuantizationOptions(int weightBits, boolean keepFirst, boolean keepLast, Set<String> keepNodes) {
    public QuantizationOptions {
        if (weightBits != 7 && weightBits != 8) {
            throw new IllegalArgumentException("weight bits must be 7 or 8, got " + weightBits);
        }
        keepNodes = Set.copyOf(keepNodes);
    }

    /** 8-bit weights; first and last layers kept in float. */
    public static QuantizationOptions defaults() {
        return new QuantizationOptions(8, true, true, Set.of());
    }

    /** Whether {@code keepNodes} names the node {@code id}, exactly or by a {@code prefix*}. */
    public boolean keeps(String id) {
        return keepNodes.contains(id) || keepNodes.stream().anyMatch(k -> k.endsWith("*") && id.startsWith(k.substring(0, k.length() - 1)));
    }

    /** The largest weight magnitude stored: 127 or 63. */
    public int weightMax() {
        return (1 << (weightBits - 1)) - 1;
    }
}

package dev.argus.app;

/**
 * The same attacks against a 256 MiB heap: the memory budgets are shares of the heap, so the server still lives; the
 * largest inputs (a 63 MB body, a 50-megapixel 16-bit PNG) are refused as too large there instead of being served.
 */
class SmallHeapUnderAttackIT extends ServerUnderAttackIT {
    @Override
    protected String heap() {
        return "-Xmx256m";
    }

    @Override
    protected boolean roomForTheLargestInputs() {
        return false;
    }
}

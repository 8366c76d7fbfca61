package dev.argus.domain;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The W3C Trace Context (<a href="https://www.w3.org/TR/trace-context/">traceparent and tracestate</a>) of one span:
 * its trace, its own id, its parent's id (none for a root), the trace flags and the caller's {@code tracestate},
 * passed on unchanged. It travels with a request in its {@link ClassifyOptions}, as the {@link Deadline} does, from
 * the inbound adapter that received it to every stage and to the remote backend that sends it on; {@link #NONE} (the
 * default) when the request is not traced, which costs nothing.
 *
 * <p>Parsing never fails: a header that is absent or not valid (wrong length or version, upper-case or non-hex
 * digits, an all-zero id) gives {@link #NONE}, and the receiver starts a new trace instead.
 */
public final class TraceContext {
    /** No trace: nothing is recorded or sent on. */
    public static final TraceContext NONE = new TraceContext(0, 0, 0, 0, 0, "");
    /** The longest {@code tracestate} passed on; list members past it are dropped, as the specification allows. */
    public static final int MAX_TRACE_STATE = 512;
    private static final int SAMPLED = 0x01;
    private static final int LENGTH = 55;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long traceHigh;
    private final long traceLow;
    private final long spanId;
    private final long parentId;
    private final int flags;
    private final String traceState;

    private TraceContext(long traceHigh, long traceLow, long spanId, long parentId, int flags, String traceState) {
        this.traceHigh = traceHigh;
        this.traceLow = traceLow;
        this.spanId = spanId;
        this.parentId = parentId;
        this.flags = flags;
        this.traceState = traceState;
    }

    /**
     * The caller's span, from its headers; {@link #NONE} when {@code traceparent} is absent or invalid (then
     * {@code tracestate} is ignored too, as the specification asks).
     */
    public static TraceContext parse(String traceparent, String tracestate) {
        if (traceparent == null) {
            return NONE;
        }
        String h = traceparent.strip();
        if (h.length() < LENGTH) {
            return NONE;
        }
        int version = hexByte(h, 0);
        // version ff is invalid; a later version than 00 is read as 00 if it starts like one (the spec's rule)
        if (version < 0 || version == 0xff || (version == 0 && h.length() != LENGTH)
                || (h.length() > LENGTH && h.charAt(LENGTH) != '-')) {
            return NONE;
        }
        if (h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') {
            return NONE;
        }
        if (!isHex(h, 3, 32) || !isHex(h, 36, 16)) {
            return NONE;
        }
        long high = hex64(h, 3);
        long low = hex64(h, 19);
        long parent = hex64(h, 36);
        int flags = hexByte(h, 53);
        if (flags < 0 || (high == 0 && low == 0) || parent == 0) {
            return NONE;
        }
        return new TraceContext(high, low, parent, 0, flags & SAMPLED, boundedState(tracestate));
    }

    /** A new trace: random ids, no parent, no tracestate; {@code sampled} when its spans are recorded. */
    public static TraceContext root(boolean sampled) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = r.nextLong();
        long low;
        do {
            low = r.nextLong();
        } while (low == 0 && high == 0);
        return new TraceContext(high, low, newSpanId(r), 0, sampled ? SAMPLED : 0, "");
    }

    /** A new span in this trace whose parent is this one (same flags and tracestate). */
    public TraceContext child() {
        if (!isPresent()) {
            return NONE;
        }
        return new TraceContext(traceHigh, traceLow, newSpanId(ThreadLocalRandom.current()), spanId, flags, traceState);
    }

    private static long newSpanId(ThreadLocalRandom r) {
        long id;
        do {
            id = r.nextLong();
        } while (id == 0);
        return id;
    }

    /** False for {@link #NONE}. */
    public boolean isPresent() {
        return spanId != 0;
    }

    /** Whether the caller (or this server, for a trace it started) records this trace's spans. */
    public boolean sampled() {
        return (flags & SAMPLED) != 0;
    }

    /** 32 lower-case hex digits; empty for {@link #NONE}. */
    public String traceId() {
        if (!isPresent()) {
            return "";
        }
        char[] c = new char[32];
        hex(traceHigh, c, 0);
        hex(traceLow, c, 16);
        return new String(c);
    }

    /** This span's id, 16 lower-case hex digits; empty for {@link #NONE}. */
    public String spanId() {
        return isPresent() ? hex(spanId) : "";
    }

    /** The parent span's id, 16 lower-case hex digits; empty for a root (or {@link #NONE}). */
    public String parentSpanId() {
        return parentId == 0 ? "" : hex(parentId);
    }

    /** The {@code traceparent} header naming this span as the parent: {@code 00-<trace>-<span>-<flags>}. */
    public String traceparent() {
        if (!isPresent()) {
            return "";
        }
        char[] c = new char[LENGTH];
        c[0] = '0';
        c[1] = '0';
        c[2] = '-';
        hex(traceHigh, c, 3);
        hex(traceLow, c, 19);
        c[35] = '-';
        hex(spanId, c, 36);
        c[52] = '-';
        c[53] = HEX[(flags >> 4) & 0xf];
        c[54] = HEX[flags & 0xf];
        return new String(c);
    }

    /** The caller's {@code tracestate}, unchanged (empty when none, or when it was not printable ASCII). */
    public String traceState() {
        return traceState;
    }

    /**
     * The header as received, or empty when it is not printable ASCII; longer than {@link #MAX_TRACE_STATE}, the list
     * members that end past it are dropped.
     */
    private static String boundedState(String state) {
        if (state == null) {
            return "";
        }
        String s = state.strip();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                return "";
            }
        }
        if (s.length() <= MAX_TRACE_STATE) {
            return s;
        }
        int cut = s.lastIndexOf(',', MAX_TRACE_STATE);
        return cut <= 0 ? "" : s.substring(0, cut).strip();
    }

    private static String hex(long v) {
        char[] c = new char[16];
        hex(v, c, 0);
        return new String(c);
    }

    private static void hex(long v, char[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    /** 16 hex digits from {@code at} (checked before) as a long. */
    private static long hex64(String s, int at) {
        long v = 0;
        for (int i = at; i < at + 16; i++) {
            v = (v << 4) | digit(s.charAt(i));
        }
        return v;
    }

    private static boolean isHex(String s, int at, int n) {
        for (int i = at; i < at + n; i++) {
            if (digit(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int hexByte(String s, int at) {
        int hi = digit(s.charAt(at));
        int lo = digit(s.charAt(at + 1));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    /** Lower-case hex only: the specification's HEXDIGLC. */
    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceContext t && t.traceHigh == traceHigh && t.traceLow == traceLow && t.spanId == spanId
                && t.parentId == parentId && t.flags == flags && t.traceState.equals(traceState);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(traceHigh ^ traceLow ^ spanId);
    }

    @Override
    public String toString() {
        return isPresent() ? "TraceContext[" + traceparent() + (parentId == 0 ? "" : ", parent " + parentSpanId()) + "]"
                : "TraceContext[none]";
    }
}

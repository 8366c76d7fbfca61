package dev.argus.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT = "00f067aa0ba902b7";
    static final String HEADER = "00-" + TRACE + "-" + PARENT + "-01";

    @Test
    void readsTheSpecificationsExample() {
        TraceContext t = TraceContext.parse(HEADER, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(t.isPresent()).isTrue();
        assertThat(t.traceId()).isEqualTo(TRACE);
        assertThat(t.spanId()).isEqualTo(PARENT);
        assertThat(t.parentSpanId()).isEmpty();
        assertThat(t.sampled()).isTrue();
        assertThat(t.traceparent()).isEqualTo(HEADER);
        assertThat(t.traceState()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    }

    @Test
    void aChildKeepsTheTraceFlagsAndStateWithANewSpanWhoseParentIsTheCaller() {
        TraceContext caller = TraceContext.parse("00-" + TRACE + "-" + PARENT + "-00", "a=b");
        TraceContext child = caller.child();
        assertThat(child.traceId()).isEqualTo(TRACE);
        assertThat(child.parentSpanId()).isEqualTo(PARENT);
        assertThat(child.spanId()).hasSize(16).matches("[0-9a-f]{16}").isNotEqualTo(PARENT).isNotEqualTo("0000000000000000");
        assertThat(child.sampled()).isFalse();
        assertThat(child.traceState()).isEqualTo("a=b");
        assertThat(child.traceparent()).isEqualTo("00-" + TRACE + "-" + child.spanId() + "-00");
        assertThat(child.child().parentSpanId()).isEqualTo(child.spanId());
    }

    @Test
    void aNewRootHasRandomNonZeroIdsAndNoParent() {
        TraceContext a = TraceContext.root(true);
        TraceContext b = TraceContext.root(false);
        assertThat(a.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(b.traceId());
        assertThat(a.parentSpanId()).isEmpty();
        assertThat(a.sampled()).isTrue();
        assertThat(b.sampled()).isFalse();
        assertThat(a.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(b.traceparent()).endsWith("-00");
        assertThat(TraceContext.parse(a.traceparent(), null)).isEqualTo(TraceContext.parse(a.traceparent(), ""));
        assertThat(TraceContext.parse(a.traceparent(), null).spanId()).isEqualTo(a.spanId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "00",
            "00-" + TRACE + "-" + PARENT + "-0",                     // short
            "00-" + TRACE + "-" + PARENT + "-01-",                   // version 00 has exactly 55 characters
            "00-" + TRACE + "-" + PARENT + "-01-extra",
            "00-" + TRACE + "0-" + PARENT + "-01",                   // a trace id of 33 digits
            "00-" + "4bf92f3577b34da6a3ce929d0e0e473" + "-" + PARENT + "-01" + "x", // 31 digits
            "00-" + TRACE + "-" + "00f067aa0ba902b" + "-01" + "x",   // a parent id of 15 digits
            "00_" + TRACE + "-" + PARENT + "-01",                    // wrong separators
            "00-" + TRACE + "_" + PARENT + "-01",
            "00-" + TRACE + "-" + PARENT + "_01",
            "ff-" + TRACE + "-" + PARENT + "-01",                    // version ff is invalid
            "0g-" + TRACE + "-" + PARENT + "-01",                    // not hex
            "00-" + "4BF92F3577B34DA6A3CE929D0E0E4736" + "-" + PARENT + "-01", // upper case
            "00-" + TRACE + "-" + "00F067AA0BA902B7" + "-01",
            "00-" + TRACE + "-" + PARENT + "-0A",
            "00-" + TRACE + "-" + PARENT + "-0x",
            "00-00000000000000000000000000000000-" + PARENT + "-01", // all-zero trace id
            "00-" + TRACE + "-0000000000000000-01",                  // all-zero parent id
            "01-" + TRACE + "-" + PARENT + "-01x",                   // a later version must continue with a dash
    })
    void anInvalidHeaderIsNoContextNeverAnError(String header) {
        TraceContext t = TraceContext.parse(header, "rojo=1");
        assertThat(t).isSameAs(TraceContext.NONE);
        assertThat(t.isPresent()).isFalse();
        assertThat(t.traceparent()).isEmpty();
        assertThat(t.child()).isSameAs(TraceContext.NONE);
    }

    @Test
    void noHeaderIsNoContext() {
        assertThat(TraceContext.parse(null, "a=b")).isSameAs(TraceContext.NONE);
    }

    @Test
    void aLaterVersionIsReadAsVersion00WhereItStartsLikeOne() {
        TraceContext t = TraceContext.parse("cc-" + TRACE + "-" + PARENT + "-01-what-the-future-will-bring", null);
        assertThat(t.traceId()).isEqualTo(TRACE);
        assertThat(t.traceparent()).isEqualTo(HEADER); // sent on as version 00
        assertThat(TraceContext.parse("01-" + TRACE + "-" + PARENT + "-01", null).traceparent()).isEqualTo(HEADER);
    }

    @Test
    void onlyTheSampledFlagIsKept() {
        assertThat(TraceContext.parse("00-" + TRACE + "-" + PARENT + "-ff", null).traceparent()).endsWith("-01");
        assertThat(TraceContext.parse("00-" + TRACE + "-" + PARENT + "-fe", null).sampled()).isFalse();
    }

    @Test
    void tracestateIsPassedOnUnchangedWithinItsBound() {
        String members = "a=1,b=2";
        assertThat(TraceContext.parse(HEADER, members).traceState()).isEqualTo(members);
        StringBuilder longer = new StringBuilder();
        for (int i = 0; longer.length() < 700; i++) {
            longer.append(i == 0 ? "" : ",").append("k").append(i).append("=").append("v".repeat(20));
        }
        String bounded = TraceContext.parse(HEADER, longer.toString()).traceState();
        assertThat(bounded.length()).isLessThanOrEqualTo(TraceContext.MAX_TRACE_STATE);
        assertThat(longer.toString()).startsWith(bounded + ",");
        assertThat(TraceContext.parse(HEADER, "x=" + "y".repeat(600)).traceState()).isEmpty();
        assertThat(TraceContext.parse(HEADER, "a=1\r\nX-Injected: yes").traceState()).isEmpty();
        assertThat(TraceContext.parse(HEADER, "a=\u00e9").traceState()).isEmpty();
    }

    @Test
    void optionsCarryTheTraceAndKeepItThroughTheirWithers() {
        TraceContext t = TraceContext.root(true);
        ClassifyOptions o = ClassifyOptions.defaults().withTrace(t);
        assertThat(o.trace()).isSameAs(t);
        assertThat(o.withTopK(3).withLabelStyle(LabelStyle.IMAGENET).withDeadline(Deadline.none()).trace()).isSameAs(t);
        assertThat(ClassifyOptions.defaults().trace()).isSameAs(TraceContext.NONE);
        ClassifyOptions plain = ClassifyOptions.defaults();
        assertThat(plain.withTrace(TraceContext.NONE)).isSameAs(plain);
    }
}

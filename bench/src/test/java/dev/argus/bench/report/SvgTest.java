package dev.argus.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SvgTest {
    @Test
    void niceCeilingRoundsUpToARoundNumber() {
        assertThat(Svg.niceCeiling(7)).isCloseTo(8, within(1e-9));
        assertThat(Svg.niceCeiling(8)).isCloseTo(8, within(1e-9));
        assertThat(Svg.niceCeiling(101)).isCloseTo(120, within(1e-9));
        assertThat(Svg.niceCeiling(130)).isCloseTo(150, within(1e-9));
        assertThat(Svg.niceCeiling(999)).isCloseTo(1000, within(1e-9));
        assertThat(Svg.niceCeiling(1000)).isCloseTo(1000, within(1e-9));
        assertThat(Svg.niceCeiling(0.27)).isCloseTo(0.3, within(1e-12));
        assertThat(Svg.niceCeiling(4321)).isCloseTo(5000, within(1e-9));
    }

    @Test
    void niceCeilingIsNeverBelowTheValue() {
        for (double v = 0.01; v < 1e6; v *= 1.37) {
            assertThat(Svg.niceCeiling(v)).as("ceiling of %s", v).isGreaterThanOrEqualTo(v).isLessThanOrEqualTo(v * 4 / 3 + 1e-9);
        }
    }

    @Test
    void niceCeilingOfNothingIsOne() {
        assertThat(Svg.niceCeiling(0)).isEqualTo(1);
        assertThat(Svg.niceCeiling(-5)).isEqualTo(1);
    }

    @Test
    void heatRunsFromRedAtZeroToGreenAtOne() {
        assertThat(Svg.heat(0)).isEqualTo("#d73027");
        assertThat(Svg.heat(1)).isEqualTo("#1a9850");
        assertThat(Svg.heat(-0.5)).isEqualTo(Svg.heat(0));
        assertThat(Svg.heat(2)).isEqualTo(Svg.heat(1));
        assertThat(Svg.heat(0.5)).matches("#[0-9a-f]{6}").isNotIn(Svg.heat(0), Svg.heat(1));
    }

    @Test
    void escapesTextForXml() {
        assertThat(Svg.esc("a<b & \"c\" > d")).isEqualTo("a&lt;b &amp; &quot;c&quot; &gt; d");
        assertThat(Svg.esc("&lt;")).isEqualTo("&amp;lt;");
        assertThat(Svg.esc(null)).isEmpty();
    }

    @Test
    void chartsEscapeTheNamesTheyShow() {
        String svg = Svg.lineChart("T <1>", "x", "y & z", List.of("1", "2"),
                List.of(new Svg.Series("onnx \"<fast>\"", Svg.COLOURS[0], false, new Double[] {1.0, 2.0},
                        new Double[] {0.5, 1.5}, new Double[] {1.5, 2.5})));
        assertThat(svg).startsWith("<svg class=\"chart line-chart\" xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>");
        assertThat(svg).contains("T &lt;1&gt;", "y &amp; z", "onnx &quot;&lt;fast&gt;&quot;").doesNotContain("<fast>");
        String matrix = Svg.matrix("M", List.of("a<b", "c"), new Double[][] {{null, 1.0}, {0.0, null}},
                new String[][] {{"x", "a<b vs c"}, {"c vs a<b", "y"}});
        assertThat(matrix).contains("a&lt;b vs c").contains(Svg.heat(1.0)).contains(Svg.heat(0.0)).doesNotContain("a<b");
    }

    @Test
    void aLineChartSkipsMissingPointsAndStillDraws() {
        String svg = Svg.lineChart("T", "x", "y", List.of("1", "2", "4"),
                List.of(new Svg.Series("s", "#000", true, new Double[] {null, 3.0, 4.0}, new Double[3], new Double[3])));
        assertThat(svg).contains("stroke-dasharray").contains("class=\"series\"");
        assertThat(svg.split("class=\"point\"", -1)).hasSize(3);
        assertThat(svg).doesNotContain("NaN");
    }

    @Test
    void aBoxPlotDrawsOneBoxPerEntryOnALogAxis() {
        String svg = Svg.boxPlot("L", "ms", List.of(new Svg.Box("a", "#000", 1, 2, 3, 4, 50, 40, 45),
                new Svg.Box("b", "#111", 0, 0.5, 1, 2, 3, 2.5, 2.9)));
        assertThat(svg).startsWith("<svg class=\"chart box-plot\"");
        assertThat(svg.split("<g class=\"box\">", -1)).hasSize(3);
        assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
    }
}

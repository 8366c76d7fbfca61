package dev.argus.bench.report;

import java.util.List;
import java.util.Locale;

/** Small inline-SVG charts for the HTML report: no scripts, no external resources. */
final class Svg {
    /** Colour-blind-safe palette (Okabe-Ito). */
    static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};
    private static final int W = 640;
    private static final int H = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 170;
    private static final int TOP = 30;
    private static final int BOTTOM = 44;

    private Svg() {
    }

    /** A series of a line chart: y values at the x categories, with optional min/max whiskers. */
    record Series(String name, String colour, boolean dashed, Double[] y, Double[] low, Double[] high) {
    }

    /** One box of a box plot: quantiles 0, 25, 50, 75, 100 and the 90th/99th as marks. */
    record Box(String name, String colour, double min, double q1, double median, double q3, double max, double p90, double p99) {
    }

    static String lineChart(String title, String xLabel, String yLabel, List<String> xs, List<Series> series) {
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < xs.size(); i++) {
                maxY = Math.max(maxY, value(s.high()[i] != null ? s.high()[i] : s.y()[i]));
            }
        }
        maxY = niceCeiling(maxY);
        StringBuilder b = open(title, "line-chart");
        axes(b, xLabel, yLabel, maxY);
        int plotW = W - LEFT - RIGHT;
        double step = xs.size() == 1 ? 0 : plotW / (double) (xs.size() - 1);
        for (int i = 0; i < xs.size(); i++) {
            double x = xs.size() == 1 ? LEFT + plotW / 2.0 : LEFT + i * step;
            b.append(text(x, H - BOTTOM + 16, xs.get(i), "middle", 11));
        }
        int legendY = TOP + 6;
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < xs.size(); i++) {
                if (s.y()[i] == null) {
                    continue;
                }
                double x = xs.size() == 1 ? LEFT + plotW / 2.0 : LEFT + i * step;
                double y = yOf(s.y()[i], maxY);
                path.append(path.length() == 0 ? "M" : "L").append(f(x)).append(',').append(f(y));
                if (s.low()[i] != null && s.high()[i] != null) {
                    b.append("<line class=\"whisker\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
                            .append(f(yOf(s.low()[i], maxY))).append("\" y2=\"").append(f(yOf(s.high()[i], maxY)))
                            .append("\" stroke=\"").append(s.colour()).append("\"/>");
                }
                b.append("<circle class=\"point\" cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"3.5\" fill=\"")
                        .append(s.colour()).append("\"><title>").append(esc(s.name())).append(" @ ").append(esc(xs.get(i)))
                        .append(": ").append(Format.sig(s.y()[i])).append("</title></circle>");
            }
            if (path.length() > 0) {
                b.append("<path class=\"series\" d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.colour())
                        .append("\" stroke-width=\"2\"").append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>");
            }
            legend(b, legendY, s.colour(), s.dashed(), s.name());
            legendY += 18;
        }
        return b.append("</svg>").toString();
    }

    /** Horizontal box plots on a logarithmic axis (latencies span orders of magnitude). */
    static String boxPlot(String title, String xLabel, List<Box> boxes) {
        double lo = boxes.stream().mapToDouble(Box::min).filter(v -> v > 0).min().orElse(0.1);
        double hi = boxes.stream().mapToDouble(Box::max).max().orElse(1);
        double logLo = Math.floor(Math.log10(Math.max(1e-3, lo)));
        double logHi = Math.ceil(Math.log10(Math.max(hi, lo * 10)));
        if (logHi <= logLo) {
            logHi = logLo + 1;
        }
        int rowH = 34;
        int h = TOP + BOTTOM + rowH * boxes.size();
        int left = 150;
        int plotW = W - left - 30;
        StringBuilder b = new StringBuilder("<svg class=\"chart box-plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(W).append(' ').append(h).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">")
                .append(text(W / 2.0, 18, title, "middle", 14));
        double ll = logLo;
        double lh = logHi;
        java.util.function.DoubleUnaryOperator x = v -> left + (Math.log10(Math.max(v, Math.pow(10, ll))) - ll) / (lh - ll) * plotW;
        for (double e = logLo; e <= logHi; e++) {
            double gx = x.applyAsDouble(Math.pow(10, e));
            b.append("<line class=\"grid\" x1=\"").append(f(gx)).append("\" x2=\"").append(f(gx)).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(h - BOTTOM).append("\"/>")
                    .append(text(gx, h - BOTTOM + 16, Format.sig(Math.pow(10, e)), "middle", 11));
        }
        b.append(text(left + plotW / 2.0, h - 8, xLabel, "middle", 12));
        for (int i = 0; i < boxes.size(); i++) {
            Box bx = boxes.get(i);
            double cy = TOP + rowH * i + rowH / 2.0;
            b.append(text(left - 8, cy + 4, bx.name(), "end", 11));
            b.append("<g class=\"box\"><title>").append(esc(bx.name())).append(": min ").append(Format.sig(bx.min())).append(", p25 ")
                    .append(Format.sig(bx.q1())).append(", p50 ").append(Format.sig(bx.median())).append(", p75 ")
                    .append(Format.sig(bx.q3())).append(", p90 ").append(Format.sig(bx.p90())).append(", p99 ")
                    .append(Format.sig(bx.p99())).append(", max ").append(Format.sig(bx.max())).append(" ms</title>");
            b.append(line(x.applyAsDouble(bx.min()), cy, x.applyAsDouble(bx.max()), cy, bx.colour(), 1.5));
            double x1 = x.applyAsDouble(bx.q1());
            double x3 = x.applyAsDouble(bx.q3());
            b.append("<rect x=\"").append(f(x1)).append("\" y=\"").append(f(cy - 10)).append("\" width=\"")
                    .append(f(Math.max(1, x3 - x1))).append("\" height=\"20\" fill=\"").append(bx.colour())
                    .append("\" fill-opacity=\"0.35\" stroke=\"").append(bx.colour()).append("\"/>");
            double xm = x.applyAsDouble(bx.median());
            b.append(line(xm, cy - 10, xm, cy + 10, bx.colour(), 3));
            for (double mark : new double[] {bx.p90(), bx.p99()}) {
                double xx = x.applyAsDouble(mark);
                b.append(line(xx, cy - 6, xx, cy + 6, "#333", 1));
            }
            b.append("</g>");
        }
        return b.append("</svg>").toString();
    }

    /** A square matrix of fractions in [0, 1], coloured from red (0) to green (1). */
    static String matrix(String title, List<String> names, Double[][] values, String[][] tooltips) {
        int cell = 64;
        int left = 150;
        int top = 130;
        int w = left + cell * names.size() + 20;
        int h = top + cell * names.size() + 20;
        StringBuilder b = new StringBuilder("<svg class=\"chart matrix\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(w).append(' ').append(h).append("\" width=\"").append(w).append("\" role=\"img\" aria-label=\"")
                .append(esc(title)).append("\">").append(text(w / 2.0, 18, title, "middle", 14));
        for (int j = 0; j < names.size(); j++) {
            double cx = left + cell * j + cell / 2.0;
            b.append("<text x=\"").append(f(cx)).append("\" y=\"").append(top - 8).append("\" font-size=\"11\" transform=\"rotate(-45 ")
                    .append(f(cx)).append(' ').append(top - 8).append(")\">").append(esc(names.get(j))).append("</text>");
        }
        for (int i = 0; i < names.size(); i++) {
            double y = top + cell * i;
            b.append(text(left - 8, y + cell / 2.0 + 4, names.get(i), "end", 11));
            for (int j = 0; j < names.size(); j++) {
                double x = left + cell * j;
                Double v = values[i][j];
                String fill = i == j ? "#eeeeee" : v == null ? "#ffffff" : heat(v);
                b.append("<rect class=\"cell\" x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(cell)
                        .append("\" height=\"").append(cell).append("\" fill=\"").append(fill).append("\" stroke=\"#fff\">")
                        .append("<title>").append(esc(tooltips[i][j])).append("</title></rect>")
                        .append(text(x + cell / 2.0, y + cell / 2.0 + 4, i == j ? "·" : v == null ? Format.NONE : Format.percent(v),
                                "middle", 12));
            }
        }
        return b.append("</svg>").toString();
    }

    /** Stacked horizontal bars: ms per image spent in each phase. */
    static String stackedBars(String title, List<String> names, String[] parts, double[][] values) {
        int rowH = 30;
        int left = 150;
        int h = TOP + BOTTOM + rowH * names.size() + 20;
        int plotW = W - left - 30;
        double max = 0;
        for (double[] v : values) {
            max = Math.max(max, java.util.Arrays.stream(v).sum());
        }
        max = niceCeiling(max);
        StringBuilder b = new StringBuilder("<svg class=\"chart stacked\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(W).append(' ').append(h).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">")
                .append(text(W / 2.0, 18, title, "middle", 14));
        for (int i = 0; i < names.size(); i++) {
            double y = TOP + rowH * i;
            b.append(text(left - 8, y + rowH / 2.0 + 4, names.get(i), "end", 11));
            double x = left;
            for (int p = 0; p < parts.length; p++) {
                double w = max == 0 ? 0 : values[i][p] / max * plotW;
                b.append("<rect class=\"bar\" x=\"").append(f(x)).append("\" y=\"").append(f(y + 4)).append("\" width=\"").append(f(w))
                        .append("\" height=\"").append(rowH - 8).append("\" fill=\"").append(COLOURS[p % COLOURS.length])
                        .append("\"><title>").append(esc(names.get(i))).append(' ').append(parts[p]).append(": ")
                        .append(Format.sig(values[i][p])).append(" ms/image</title></rect>");
                x += w;
            }
        }
        double axisY = TOP + rowH * names.size() + 4;
        for (int t = 0; t <= 4; t++) {
            double gx = left + plotW * t / 4.0;
            b.append(line(gx, axisY, gx, axisY + 4, "#666", 1)).append(text(gx, axisY + 16, Format.sig(max * t / 4), "middle", 11));
        }
        for (int p = 0; p < parts.length; p++) {
            double lx = 20 + p * 200;
            b.append("<rect x=\"").append(f(lx)).append("\" y=\"").append(f(h - 16)).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(COLOURS[p % COLOURS.length]).append("\"/>").append(text(lx + 16, h - 6, parts[p] + " (ms/image)", "start", 11));
        }
        return b.append("</svg>").toString();
    }

    private static StringBuilder open(String title, String cls) {
        return new StringBuilder("<svg class=\"chart ").append(cls).append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(W).append(' ').append(H).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">")
                .append(text(W / 2.0, 18, title, "middle", 14));
    }

    private static void axes(StringBuilder b, String xLabel, String yLabel, double maxY) {
        int plotW = W - LEFT - RIGHT;
        for (int t = 0; t <= 4; t++) {
            double v = maxY * t / 4;
            double y = yOf(v, maxY);
            b.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW).append("\" y1=\"").append(f(y))
                    .append("\" y2=\"").append(f(y)).append("\"/>").append(text(LEFT - 6, y + 4, Format.sig(v), "end", 11));
        }
        b.append(text(LEFT + plotW / 2.0, H - 8, xLabel, "middle", 12));
        b.append("<text x=\"14\" y=\"").append(f(TOP + (H - TOP - BOTTOM) / 2.0)).append("\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                .append(f(TOP + (H - TOP - BOTTOM) / 2.0)).append(")\">").append(esc(yLabel)).append("</text>");
    }

    private static void legend(StringBuilder b, int y, String colour, boolean dashed, String name) {
        int x = W - RIGHT + 14;
        b.append("<line x1=\"").append(x).append("\" x2=\"").append(x + 22).append("\" y1=\"").append(y).append("\" y2=\"").append(y)
                .append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\"").append(dashed ? " stroke-dasharray=\"6 4\"" : "")
                .append("/>").append(text(x + 28, y + 4, name, "start", 11));
    }

    private static double yOf(double v, double maxY) {
        return H - BOTTOM - (maxY == 0 ? 0 : v / maxY * (H - TOP - BOTTOM));
    }

    private static double value(Double d) {
        return d == null || d.isNaN() ? 0 : d;
    }

    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double e = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * e >= v) {
                return m * e;
            }
        }
        return 10 * e;
    }

    static String heat(double v) {
        double t = Math.max(0, Math.min(1, v));
        int r = (int) Math.round(215 + (26 - 215) * t);
        int g = (int) Math.round(48 + (152 - 48) * t);
        int bl = (int) Math.round(39 + (80 - 39) * t);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bl);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, double width) {
        return "<line x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\"" + f(y2) + "\" stroke=\"" + colour
                + "\" stroke-width=\"" + f(width) + "\"/>";
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" font-size=\"" + size + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>";
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

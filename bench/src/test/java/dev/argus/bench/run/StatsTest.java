package dev.argus.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StatsTest {
    /** 1..10, not in order. */
    private static final long[] ONE_TO_TEN = {7, 3, 10, 1, 9, 2, 8, 5, 4, 6};

    @Test
    void percentilesUseTheNearestRank() {
        assertThat(Stats.percentile(ONE_TO_TEN, 50)).isEqualTo(5);
        assertThat(Stats.percentile(ONE_TO_TEN, 90)).isEqualTo(9);
        assertThat(Stats.percentile(ONE_TO_TEN, 99)).isEqualTo(10);
        assertThat(Stats.percentile(ONE_TO_TEN, 100)).isEqualTo(10);
        assertThat(Stats.percentile(ONE_TO_TEN, 0)).isEqualTo(1);
        assertThat(Stats.percentile(ONE_TO_TEN, 10)).isEqualTo(1);
        assertThat(Stats.percentile(ONE_TO_TEN, 11)).isEqualTo(2);
    }

    @Test
    void theDoubleVersionAgreesWithTheLongOne() {
        double[] d = Arrays.stream(ONE_TO_TEN).asDoubleStream().toArray();
        for (double p : new double[] {0, 10, 25, 50, 90, 99, 100}) {
            assertThat(Stats.percentile(d, p)).as("p%s", p).isEqualTo(Stats.percentile(ONE_TO_TEN, p));
        }
    }

    @Test
    void thePthPercentileOf1To100IsPForEveryWholeP() {
        // nearest rank: the p-th percentile of 1..100 is the ceil(p/100 * 100)-th value, i.e. p itself
        long[] values = LongStream.rangeClosed(1, 100).toArray();
        List<String> wrong = new ArrayList<>();
        for (int p = 1; p <= 100; p++) {
            if (Stats.percentile(values, p) != p) {
                wrong.add("p" + p + "=" + Stats.percentile(values, p));
            }
        }
        assertThat(wrong).as("percentiles off by one rank (floating-point rounding of p/100*n)").isEmpty();
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        assertThat(Stats.percentile(new long[] {42}, 0)).isEqualTo(42);
        assertThat(Stats.percentile(new long[] {42}, 50)).isEqualTo(42);
        assertThat(Stats.percentile(new long[] {42}, 100)).isEqualTo(42);
    }

    @Test
    void noValuesHaveNoPercentile() {
        assertThat(Stats.percentile(new long[0], 50)).isNaN();
        assertThat(Stats.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void theMedianOfAnOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of(10.0, 20.0))).isEqualTo(15.0);
    }

    @Test
    void medianMinAndMaxIgnoreNaN() {
        List<Double> values = List.of(Double.NaN, 5.0, 1.0, Double.NaN, 3.0);
        assertThat(Stats.median(values)).isEqualTo(3.0);
        assertThat(Stats.min(values)).isEqualTo(1.0);
        assertThat(Stats.max(values)).isEqualTo(5.0);
    }

    @Test
    void medianMinAndMaxOfNothingOrOnlyNaNAreNaN() {
        assertThat(Stats.median(List.of())).isNaN();
        assertThat(Stats.min(List.of())).isNaN();
        assertThat(Stats.max(List.of())).isNaN();
        assertThat(Stats.median(List.of(Double.NaN, Double.NaN))).isNaN();
        assertThat(Stats.min(List.of(Double.NaN))).isNaN();
        assertThat(Stats.max(List.of(Double.NaN))).isNaN();
    }

    @Test
    void twentyOneQuantilesRunFromTheMinimumToTheMaximum() {
        long[] values = {50, 7, 300, 12, 99, 8, 1000, 3};
        double[] q = Stats.quantiles(values, 21);
        assertThat(q).hasSize(21);
        assertThat(q[0]).isEqualTo(3);
        assertThat(q[20]).isEqualTo(1000);
        assertThat(q[10]).isEqualTo(Stats.percentile(values, 50));
        for (int i = 1; i < q.length; i++) {
            assertThat(q[i]).as("quantile %d", i).isGreaterThanOrEqualTo(q[i - 1]);
        }
    }

    @Test
    void theQuantilesOf1To100AreEveryFifthValue() {
        double[] q = Stats.quantiles(LongStream.rangeClosed(1, 100).toArray(), 21);
        double[] expected = new double[21];
        expected[0] = 1;
        for (int i = 1; i < 21; i++) {
            expected[i] = 5 * i;
        }
        assertThat(q).containsExactly(expected);
    }

    @Test
    void quantilesOfNothingAreNaNAndOneQuantileIsTheMedian() {
        assertThat(Stats.quantiles(new long[0], 21)).hasSize(21).containsOnly(Double.NaN);
        assertThat(Stats.quantiles(ONE_TO_TEN, 1)).containsExactly(5);
    }

    @Test
    void inputsAreNotModified() {
        long[] longs = ONE_TO_TEN.clone();
        Stats.percentile(longs, 50);
        Stats.quantiles(longs, 21);
        assertThat(longs).containsExactly(ONE_TO_TEN);
        double[] doubles = {3, 1, 2};
        Stats.percentile(doubles, 50);
        assertThat(doubles).containsExactly(3, 1, 2);
        List<Double> list = new ArrayList<>(List.of(3.0, Double.NaN, 1.0, 2.0));
        Stats.median(list);
        Stats.min(list);
        Stats.max(list);
        assertThat(list).containsExactly(3.0, Double.NaN, 1.0, 2.0);
    }
}

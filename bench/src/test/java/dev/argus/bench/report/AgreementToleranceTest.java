package dev.argus.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgreementToleranceTest {
    @Test
    void defaultsToATenthOfAPercentForFp32AndFivePercentForFp16() {
        assertThat(AgreementTolerance.DEFAULT).isEqualTo(new AgreementTolerance(0.001, 0.05));
        assertThat(AgreementTolerance.DEFAULT.forPair(false)).isEqualTo(0.001);
        assertThat(AgreementTolerance.DEFAULT.forPair(true)).isEqualTo(0.05);
        assertThat(AgreementTolerance.DEFAULT.describe()).isEqualTo("0.1% of the reference's logit range (fp32), 5% (fp16)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0.01|0.01|0.05",
            "fp32=0.002|0.002|0.05",
            "fp16=0.05|0.001|0.05",
            "fp32=0.002, fp16=0.05|0.002|0.05",
            "FP16=1|0.001|1.0",
    })
    void readsTheFlag(String flag, double fp32, double fp16) {
        assertThat(AgreementTolerance.parse(flag)).contains(new AgreementTolerance(fp32, fp16));
    }

    @Test
    void offJudgesNothing() {
        assertThat(AgreementTolerance.parse("off")).isEqualTo(Optional.empty());
        assertThat(AgreementTolerance.parse(" OFF ")).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "abc|'abc' is not a number",
            "fp8=0.1|'fp8' is neither fp32 nor fp16",
            "0|fp32 must be a fraction of the logit range in (0, 1], got 0.0",
            "fp16=2|fp16 must be a fraction of the logit range in (0, 1], got 2.0",
            "-0.1|fp32 must be a fraction",
            "NaN|fp32 must be a fraction",
            "fp32=|'' is not a number",
    })
    void aWrongValueIsAConfigurationErrorThatSaysWhatTheFlagTakes(String flag, String why) {
        assertThatThrownBy(() -> AgreementTolerance.parse(flag)).isInstanceOf(ArgusException.class)
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("--agreement-tolerance takes off, a fraction of the logit range")
                .hasMessageContaining(why);
    }
}

package dev.argus.app.cli;

import dev.argus.domain.ErrorCode;

/** Exit codes scripts can rely on. Documented in the README. */
public final class ExitCodes {
    /** Every image was classified. */
    public static final int OK = 0;
    /** At least one image could not be classified (bad or too large input); the others were. */
    public static final int SOME_INPUTS_FAILED = 1;
    /** Wrong command-line usage. */
    public static final int USAGE = 2;
    /** Bad configuration, or the model could not be found, downloaded or loaded. Nothing was classified. */
    public static final int CONFIGURATION = 3;
    /** The engine or a remote backend failed at run time. */
    public static final int BACKEND_FAILURE = 4;
    /**
     * {@code argus bench}: a backend's answers are outside the agreement tolerance for backends that run the same weights
     * as the reference ({@code --agreement-tolerance}); the reports are written and mark it. {@code argus quantize}: the
     * int8 model agrees with the float one less than the thresholds ask ({@code --min-top1-agreement}...); nothing is
     * written.
     */
    public static final int DISAGREEMENT = 5;

    private ExitCodes() {
    }

    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT, INPUT_TOO_LARGE -> SOME_INPUTS_FAILED;
            case CONFIGURATION, MODEL_UNAVAILABLE -> CONFIGURATION;
            case INFERENCE_FAILED, REMOTE_FAILURE, OVERLOADED, TIMEOUT -> BACKEND_FAILURE;
        };
    }
}

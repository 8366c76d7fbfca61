package dev.argus.spark;

import dev.argus.app.cli.ExitCodes;
import dev.argus.domain.ArgusException;
import org.apache.spark.SparkThrowable;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever stopped the job into one line on stderr and an exit code: {@code 2} wrong usage (bad options, an
 * input that does not exist, an output that does, a missing column), {@code 3} bad Argus configuration or a model
 * that cannot be loaded, {@code 4} the engine, a remote backend or Spark failed.
 */
final class JobErrors {
    private static final Pattern ARGUS_IN_TRACE = Pattern.compile("dev\\.argus\\.domain\\.ArgusException: ([^\\n]*)");

    /** The line to print and the exit code. */
    record Report(String message, int exitCode) {
    }

    private JobErrors() {
    }

    static Report report(Throwable e) {
        if (e instanceof JobUsageException) {
            return new Report(e.getMessage() + " (see --help)", ExitCodes.USAGE);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArgusException ae) {
                return argus(ae.getMessage(), ae.code(), t != e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals("org.apache.spark.sql.AnalysisException")) {
                return new Report(analysis(t), ExitCodes.USAGE);
            }
        }
        // An executor's ArgusException that Spark only kept as text.
        Matcher m = ARGUS_IN_TRACE.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
            return new Report("an executor failed: " + m.group(1), ExitCodes.BACKEND_FAILURE);
        }
        return new Report("the Spark job failed: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()),
                ExitCodes.BACKEND_FAILURE);
    }

    /** Spark's analysis errors (bad paths, columns), in the job's terms where they have one. */
    private static String analysis(Throwable t) {
        String condition = t instanceof SparkThrowable st ? String.valueOf(st.getCondition()) : "";
        Map<String, String> params = t instanceof SparkThrowable st ? st.getMessageParameters() : Map.of();
        String path = params.getOrDefault("path", "");
        return switch (condition) {
            case "PATH_NOT_FOUND" -> "The input " + path + " does not exist: check --input.";
            case "PATH_ALREADY_EXISTS" -> "The output " + path + " already exists: pass --overwrite to replace it, or choose another --output.";
            default -> firstLine(t.getMessage()) + " (check --input, --output and the columns)";
        };
    }

    private static Report argus(String message, dev.argus.domain.ErrorCode code, boolean fromSpark) {
        int exit = switch (code) {
            case CONFIGURATION, MODEL_UNAVAILABLE -> ExitCodes.CONFIGURATION;
            case INVALID_INPUT, INPUT_TOO_LARGE -> fromSpark ? ExitCodes.BACKEND_FAILURE : ExitCodes.USAGE;
            case INFERENCE_FAILED, REMOTE_FAILURE, OVERLOADED, TIMEOUT -> ExitCodes.BACKEND_FAILURE;
        };
        String hint = fromSpark && exit == ExitCodes.CONFIGURATION
                ? " (every executor must be able to read argus.model: ship it with --files, use a shared path, or hf://)" : "";
        return new Report((fromSpark ? "an executor failed: " : "") + message + hint, exit);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

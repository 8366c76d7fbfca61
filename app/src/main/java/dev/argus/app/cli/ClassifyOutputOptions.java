package dev.argus.app.cli;

import dev.argus.domain.ClassifyOptions;
import picocli.CommandLine.Option;

/** What each answer holds, for every command that classifies: {@code argus classify} and the Spark job. */
public final class ClassifyOutputOptions {
    @Option(names = {"-k", "--top-k"}, paramLabel = "K", description = "Classes per image, 1..1000 (default 5).")
    int topK = ClassifyOptions.DEFAULT_TOP_K;

    @Option(names = "--label-style", paramLabel = "STYLE", description = "cloudflare (PERSIAN CAT, default) or imagenet (full name).")
    String labelStyle = "cloudflare";

    /** As given; the command validates it. */
    public int topK() {
        return topK;
    }

    /** As given; the command parses it. */
    public String labelStyle() {
        return labelStyle;
    }
}

package dev.argus.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes {@code bench.json}, {@code bench.md} and {@code bench.html} into a directory. */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private ReportWriter() {
    }

    /** The three files written. */
    public record Files3(Path json, Path markdown, Path html) {
    }

    public static String json(BenchReport report) throws IOException {
        return JSON.writeValueAsString(report);
    }

    public static Files3 write(BenchReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        String json = json(report);
        Path j = atomically(dir.resolve("bench.json"), json);
        Path m = atomically(dir.resolve("bench.md"), MarkdownReport.render(report));
        Path h = atomically(dir.resolve("bench.html"), HtmlReport.render(report, json));
        return new Files3(j, m, h);
    }

    private static Path atomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

package dev.argus.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class names of a model, in class-index order, each the full name (synonyms separated by commas).
 */
public record LabelSet(String name, List<String> fullNames) {
    private static final String IMAGENET_RESOURCE = "imagenet-1k-labels.txt";
    private static volatile LabelSet imagenet;

    public LabelSet {
        fullNames = List.copyOf(fullNames);
        if (fullNames.isEmpty()) {
            throw ArgusException.configuration("Label set '" + name + "' is empty.");
        }
    }

    public int size() {
        return fullNames.size();
    }

    /** The label of a class index in the given style. */
    public String label(int classIndex, LabelStyle style) {
        if (classIndex < 0 || classIndex >= fullNames.size()) {
            throw new IndexOutOfBoundsException("class " + classIndex + " outside label set '" + name + "' of " + fullNames.size());
        }
        return style.apply(fullNames.get(classIndex));
    }

    /** The 1,000 ImageNet-1k classes shipped with Argus. */
    public static LabelSet imagenet1k() {
        LabelSet cached = imagenet;
        if (cached == null) {
            try (InputStream in = LabelSet.class.getResourceAsStream(IMAGENET_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + IMAGENET_RESOURCE + " missing from the domain jar");
                }
                cached = new LabelSet("imagenet-1k", readLines(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            imagenet = cached;
        }
        return cached;
    }

    /** Reads a label file: one class per line, line 1 = class 0, blank trailing lines ignored. */
    public static LabelSet fromFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new LabelSet(file.getFileName().toString(), readLines(in));
        } catch (IOException e) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "Cannot read label file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> readLines(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line.strip());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    @Override
    public String toString() {
        return "LabelSet[" + name + ", " + fullNames.size() + " classes]";
    }
}

package dev.argus.app.config;

import dev.argus.domain.ArgusException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Parses configuration values, producing errors that name the key, its value, its source and what is valid. */
record ConfigReader(Settings s) {

    /** Whether {@code k} keeps its built-in default (nothing set it). */
    boolean isDefault(Key k) {
        return "default".equals(s.source(k));
    }

    String string(Key k) {
        return s.get(k).trim();
    }

    ArgusException bad(Key k, String hint) {
        String v = k.secret() ? "<redacted>" : s.get(k);
        return ArgusException.configuration("Invalid " + k.key() + " = '" + v + "' (from " + s.source(k) + "). " + hint + ".");
    }

    <T> T wrap(Key k, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (ArgusException e) {
            throw e;
        } catch (RuntimeException e) {
            throw bad(k, e.getMessage());
        }
    }

    /**
     * {@code current} changed by {@code change}, which sets the value of {@code k} on an adapter's configuration: the
     * record's constructor is the one place its range is checked, and when it refuses, the error names {@code k}, its
     * value and where it came from, with the adapter's reason. The other settings in {@code current} are valid
     * already, so a refusal is about {@code k}.
     */
    <C> C checked(Key k, C current, java.util.function.UnaryOperator<C> change) {
        try {
            return change.apply(current);
        } catch (ArgusException e) {
            if (e.code() != dev.argus.domain.ErrorCode.CONFIGURATION) {
                throw e;
            }
            throw bad(k, e.getMessage().replaceFirst("\\.$", ""));
        } catch (IllegalArgumentException e) {
            throw bad(k, e.getMessage());
        }
    }

    /** A whole number of any size: the range is the business of whoever takes it (an adapter's configuration). */
    long whole(Key k) {
        try {
            return Long.parseLong(string(k));
        } catch (NumberFormatException e) {
            throw bad(k, "Expected a whole number");
        }
    }

    /** As {@link #whole}, an {@code int}. */
    int integer(Key k) {
        return (int) longIn(k, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    long longIn(Key k, long min, long max) {
        long v = whole(k);
        if (v < min || v > max) {
            throw bad(k, "Expected " + min + ".." + max);
        }
        return v;
    }

    int intIn(Key k, int min, int max) {
        return (int) longIn(k, min, max);
    }

    double dbl(Key k) {
        try {
            return Double.parseDouble(string(k));
        } catch (NumberFormatException e) {
            throw bad(k, "Expected a number");
        }
    }

    float[] floats3(Key k) {
        String[] parts = string(k).split(",");
        if (parts.length != 3) {
            throw bad(k, "Expected three comma-separated numbers");
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(k, "Expected three comma-separated numbers");
            }
        }
        return out;
    }

    boolean bool(Key k) {
        return switch (string(k).toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw bad(k, "Expected true or false");
        };
    }

    <E extends Enum<E>> E choice(Key k, Class<E> type) {
        String v = string(k).toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            StringBuilder valid = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                valid.append(valid.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw bad(k, "Valid values: " + valid);
        }
    }

    Duration millis(Key k, long min, long max) {
        return Duration.ofMillis(longIn(k, min, max));
    }

    Optional<String> optional(Key k) {
        String v = string(k);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    Optional<Path> path(Key k) {
        return optional(k).map(Paths::get);
    }
}

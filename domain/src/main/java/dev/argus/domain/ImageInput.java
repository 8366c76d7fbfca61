package dev.argus.domain;

import java.util.Objects;

/**
 * An image as a caller sends it: the encoded file's bytes, or (as Cloudflare's JSON API accepts) the file's bytes
 * written as a list of numbers, each 0..255. Neither form is decoded here; {@link #toBytes(InputLimits)} validates and
 * yields the file bytes.
 */
public sealed interface ImageInput permits ImageInput.Encoded, ImageInput.Numbers {

    /** Validates against the limits and returns the encoded file bytes. */
    byte[] toBytes(InputLimits limits);

    /** Number of bytes the encoded file has (or would have). */
    int size();

    static ImageInput of(byte[] encoded) {
        return new Encoded(encoded);
    }

    static ImageInput ofNumbers(double[] numbers) {
        return new Numbers(numbers);
    }

    /** The encoded image file (JPEG, PNG, ...) as received. The array is not copied. */
    record Encoded(byte[] bytes) implements ImageInput {
        public Encoded {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public byte[] toBytes(InputLimits limits) {
            if (bytes.length == 0) {
                throw ArgusException.invalidInput("The image is empty: send the bytes of a JPEG, PNG, GIF, BMP or WebP file.");
            }
            checkSize(bytes.length, limits);
            return bytes;
        }

        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encoded other && java.util.Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Encoded[" + bytes.length + " bytes]";
        }
    }

    /**
     * The file's bytes as numbers, as in Cloudflare's {@code {"image": [137, 80, 78, 71, ...]}}. Each element must be an
     * integer 0..255; the first offending element is named in the error.
     */
    record Numbers(double[] values) implements ImageInput {
        public Numbers {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public byte[] toBytes(InputLimits limits) {
            if (values.length == 0) {
                throw ArgusException.invalidInput("The image array is empty: send the bytes of an image file as integers 0..255.");
            }
            checkSize(values.length, limits);
            byte[] out = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                double v = values[i];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    throw badElement(i, v, "is not a finite number");
                }
                if (v != Math.rint(v)) {
                    throw badElement(i, v, "is not an integer");
                }
                if (v < 0) {
                    throw badElement(i, v, "is negative");
                }
                if (v > 255) {
                    throw badElement(i, v, "is above 255");
                }
                out[i] = (byte) (int) v;
            }
            return out;
        }

        private static ArgusException badElement(int index, double value, String what) {
            // Integral values print as integers only where a long holds them exactly (1e300 is not 9223372036854775807).
            String shown = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
            return ArgusException.invalidInput("image[" + index + "] = " + shown + " " + what
                    + ": each element must be an integer byte value 0..255.", InputField.imageElement(index));
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Numbers other && java.util.Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Numbers[" + values.length + " elements]";
        }
    }

    private static void checkSize(long size, InputLimits limits) {
        if (size > limits.maxBytes()) {
            throw ArgusException.tooLarge("The image is " + size + " bytes; the limit is " + limits.maxBytes()
                    + " bytes (" + (limits.maxBytes() / (1024 * 1024)) + " MiB). Send a smaller file or raise the limit.");
        }
    }
}

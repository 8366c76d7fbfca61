package dev.argus.domain;

import java.util.Objects;

/**
 * The part of a request an input error is about, as data for adapters to name in their own vocabulary (a gRPC
 * {@code BadRequest} field path, ...), never parsed back out of the message.
 *
 * @param name  {@link #IMAGE_ELEMENT} or {@link #TOP_K}
 * @param index the element's position for {@link #IMAGE_ELEMENT}, -1 otherwise
 */
public record InputField(String name, int index) {
    /** One number of an image given as an array of byte values ({@code {"image":[...]}}). */
    public static final String IMAGE_ELEMENT = "image";
    /** The number of classes asked for. */
    public static final String TOP_K = "top_k";

    public InputField {
        Objects.requireNonNull(name, "name");
    }

    public static InputField imageElement(int index) {
        return new InputField(IMAGE_ELEMENT, index);
    }

    public static InputField topK() {
        return new InputField(TOP_K, -1);
    }
}

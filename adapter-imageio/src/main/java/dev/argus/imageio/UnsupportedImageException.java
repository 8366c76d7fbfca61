package dev.argus.imageio;

/** A well-formed image this adapter cannot convert (an unusual colour space or sample layout). */
final class UnsupportedImageException extends RuntimeException {
    UnsupportedImageException(String message) {
        super(message);
    }
}

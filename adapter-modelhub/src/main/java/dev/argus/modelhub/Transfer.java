package dev.argus.modelhub;

/**
 * A finished download into the {@code .part} file.
 *
 * @param sha256      SHA-256 of the whole {@code .part} file, lower-case hex
 * @param size        its length in bytes
 * @param transferred bytes received over the network this time (less than size after a resume)
 */
record Transfer(String sha256, long size, long transferred) {
}

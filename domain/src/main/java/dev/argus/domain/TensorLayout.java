package dev.argus.domain;

/** Memory layout of an image batch tensor. */
public enum TensorLayout {
    /** batch, channel, height, width (PyTorch, ONNX exports of it). */
    NCHW,
    /** batch, height, width, channel (TensorFlow, Keras). */
    NHWC
}

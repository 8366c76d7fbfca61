package dev.argus.domain;

/** Order of the colour channels a model expects. */
public enum ChannelOrder {
    RGB,
    /** Caffe/Keras-style models. */
    BGR
}

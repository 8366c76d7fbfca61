package dev.argus.modelhub;

/** A model source that can say which locations it accepts, for error messages listing the alternatives. */
interface LocationSyntax {

    /** E.g. {@code hf://OWNER/REPO/PATH/IN/REPO[@REVISION][#sha256=HEX] (e.g. hf://Xenova/resnet-50/...)}. */
    String locationSyntax();
}

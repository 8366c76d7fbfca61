package dev.argus.spark;

import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ErrorCode;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One output row: an image's top-k classes, or why it could not be classified. Error rows have null labels, scores and
 * class indices and an {@code error} of {@code {code, message}}; successful rows a null {@code error}.
 *
 * @param labels       class names best first, in the requested label style
 * @param scores       their softmax probabilities
 * @param classIndices their indices in the model's label set (-1 when a remote backend did not say)
 * @param errorCode    Argus's error code ({@code INVALID_INPUT}, ...), null when classified
 */
record ResultRow(String path, List<String> labels, List<Double> scores, List<Integer> classIndices, String backend,
                 String model, ErrorCode errorCode, String errorMessage) {

    /** The output schema, the same for Parquet and JSON. */
    static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, true),
            DataTypes.createStructField("labels", DataTypes.createArrayType(DataTypes.StringType, false), true),
            DataTypes.createStructField("scores", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
            DataTypes.createStructField("class_indices", DataTypes.createArrayType(DataTypes.IntegerType, false), true),
            DataTypes.createStructField("backend", DataTypes.StringType, true),
            DataTypes.createStructField("model", DataTypes.StringType, true),
            DataTypes.createStructField("error", new StructType(new StructField[] {
                    DataTypes.createStructField("code", DataTypes.StringType, false),
                    DataTypes.createStructField("message", DataTypes.StringType, false)}), true)});

    static ResultRow success(String path, ClassificationResult result) {
        List<Classification> c = result.classifications();
        return new ResultRow(path, c.stream().map(Classification::label).toList(), c.stream().map(Classification::score).toList(),
                c.stream().map(Classification::classIndex).toList(), result.backend(), result.model(), null, null);
    }

    static ResultRow failure(String path, String backend, String model, ErrorCode code, String message) {
        return new ResultRow(path, null, null, null, backend, model, code, message);
    }

    boolean failed() {
        return errorCode != null;
    }

    /** A Row for {@link #SCHEMA}; Spark's row encoder takes Scala sequences for arrays. */
    Row toRow() {
        return RowFactory.create(path, seq(labels), seq(scores), seq(classIndices), backend, model,
                errorCode == null ? null : RowFactory.create(errorCode.name(), errorMessage));
    }

    private static <T> scala.collection.Seq<T> seq(List<T> list) {
        return list == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(list).toSeq();
    }
}

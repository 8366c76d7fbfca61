package dev.argus.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code argus classify} reads: files, directories, and "-" for standard input, all under the same byte limit. */
class ClassifyInputsTest {
    @TempDir
    Path tmp;

    /** An endless stream that counts what was taken from it: a client that declares nothing and never stops. */
    static final class Endless extends InputStream {
        long taken;

        @Override
        public int read() {
            taken++;
            return 0x42;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0x42);
            taken += len;
            return len;
        }
    }

    @Test
    void standardInputIsReadAsOneImage() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        ImageInput image = new ClassifyInputs(new ByteArrayInputStream(png), 1000).read(ClassifyInputs.STDIN);
        assertThat(image).isInstanceOfSatisfying(ImageInput.Encoded.class, e -> assertThat(e.bytes()).isEqualTo(png));
    }

    @Test
    void standardInputOverTheLimitIsRefusedAfterReadingOneBytePastIt() {
        Endless endless = new Endless();
        assertThatThrownBy(() -> new ClassifyInputs(endless, 4096).read(ClassifyInputs.STDIN))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE))
                .hasMessageContaining("Standard input holds more than 4096 bytes").hasMessageContaining("argus.limits.max-bytes");
        assertThat(endless.taken).isEqualTo(4097);
    }

    @Test
    void standardInputOfExactlyTheLimitIsAccepted() {
        byte[] bytes = new byte[4096];
        ImageInput image = new ClassifyInputs(new ByteArrayInputStream(bytes), 4096).read(ClassifyInputs.STDIN);
        assertThat(((ImageInput.Encoded) image).bytes()).hasSize(4096);
    }

    @Test
    void aCloudflareJsonBodyOnStandardInputIsReadAsTheServerReadsIt() {
        byte[] body = "  {\"image\": [137, 80, 78, 71]}".getBytes(StandardCharsets.UTF_8);
        ImageInput image = new ClassifyInputs(new ByteArrayInputStream(body), 1000).read(ClassifyInputs.STDIN);
        assertThat(image).isInstanceOfSatisfying(ImageInput.Encoded.class,
                e -> assertThat(e.bytes()).containsExactly((byte) 137, (byte) 80, (byte) 78, (byte) 71));
    }

    @Test
    void aFileOverTheLimitIsRefusedUnread() throws Exception {
        Path big = Files.write(tmp.resolve("big.jpg"), new byte[5000]);
        assertThatThrownBy(() -> new ClassifyInputs(InputStream.nullInputStream(), 4096).read(big))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE))
                .hasMessageContaining("5000 bytes");
    }

    @Test
    void dashStaysInPlaceAmongFilesAndDirectoriesAndDotSlashDashIsAFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("photos"));
        Path b = Files.write(dir.resolve("b.png"), new byte[1]);
        Path a = Files.write(dir.resolve("a.jpg"), new byte[1]);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Path first = Files.write(tmp.resolve("first.gif"), new byte[1]);
        assertThat(ClassifyInputs.expand(List.of(first, Path.of("-"), dir))).containsExactly(first, ClassifyInputs.STDIN, a, b);
        assertThat(ClassifyInputs.isStdin(Path.of("./-"))).isFalse();
        assertThat(ClassifyInputs.describe(Path.of("-"))).isEqualTo("stdin");
        assertThat(ClassifyInputs.describe(first)).isEqualTo(first.toString());
    }
}

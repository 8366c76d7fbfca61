package dev.argus.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    private static final Pattern NAME = Pattern.compile("generated-(\\d{3})-(\\d+)x(\\d+)\\.(jpg|png)");

    @Test
    void generatesTheRequestedNumberOfImages() {
        Corpus c = Corpus.generated(4);
        assertThat(c.size()).isEqualTo(4);
        assertThat(c.images()).hasSize(4);
        assertThat(c.source()).contains("4");
        assertThat(c.bytes()).isEqualTo(c.images().stream().mapToLong(i -> i.bytes().length).sum()).isPositive();
    }

    @Test
    void generatedImagesAreTheSameBytesEveryTime() {
        List<Corpus.Image> a = Corpus.generated(3).images();
        List<Corpus.Image> b = Corpus.generated(3).images();
        for (int i = 0; i < 3; i++) {
            assertThat(b.get(i).name()).isEqualTo(a.get(i).name());
            assertThat(b.get(i).bytes()).isEqualTo(a.get(i).bytes());
        }
        assertThat(a.get(0).bytes()).isNotEqualTo(a.get(1).bytes());
    }

    @Test
    void generatedImagesDecodeAtTheirDeclaredSizesAndMixJpegAndPng() throws IOException {
        Corpus c = Corpus.generated(7);
        int jpg = 0;
        int png = 0;
        java.util.Set<String> sizes = new java.util.HashSet<>();
        for (int i = 0; i < c.size(); i++) {
            Corpus.Image image = c.images().get(i);
            Matcher m = NAME.matcher(image.name());
            assertThat(m.matches()).as(image.name()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(i);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.bytes()));
            assertThat(decoded).as(image.name() + " decodes").isNotNull();
            assertThat(decoded.getWidth()).as(image.name()).isEqualTo(Integer.parseInt(m.group(2)));
            assertThat(decoded.getHeight()).as(image.name()).isEqualTo(Integer.parseInt(m.group(3)));
            sizes.add(decoded.getWidth() + "x" + decoded.getHeight());
            if (m.group(4).equals("jpg")) {
                jpg++;
                assertThat(image.bytes()).startsWith((byte) 0xFF, (byte) 0xD8);
            } else {
                png++;
                assertThat(image.bytes()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            }
        }
        assertThat(jpg).isGreaterThan(png).isPositive();
        assertThat(png).isPositive();
        assertThat(sizes).hasSizeGreaterThan(3);
    }

    @Test
    void generatingNoImagesIsRefused() {
        assertThatThrownBy(() -> Corpus.generated(0)).isInstanceOf(ArgusException.class).hasMessageContaining("no images");
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void loadsImageFilesRecursivelySortedByPathAndSkipsOthers(@TempDir Path dir) throws IOException {
        write(dir.resolve("b.jpg"), "B");
        write(dir.resolve("a.png"), "A");
        write(dir.resolve("notes.txt"), "not an image");
        write(dir.resolve("sub/c.JPEG"), "C");
        write(dir.resolve("sub/deeper/d.webp"), "D");
        write(dir.resolve("sub/readme"), "no extension");
        Files.createDirectories(dir.resolve("folder.jpg"));
        Corpus c = Corpus.load(dir, 100);
        assertThat(c.images()).extracting(Corpus.Image::name).containsExactly("a.png", "b.jpg", "sub/c.JPEG", "sub/deeper/d.webp");
        assertThat(c.images()).extracting(i -> new String(i.bytes())).containsExactly("A", "B", "C", "D");
        assertThat(c.source()).isEqualTo(dir.toAbsolutePath().toString());
    }

    @Test
    void loadsAtMostTheLimitTakingTheFirstInOrder(@TempDir Path dir) throws IOException {
        for (String n : List.of("e.gif", "d.bmp", "c.jpg", "b.jpeg", "a.png")) {
            write(dir.resolve(n), n);
        }
        assertThat(Corpus.load(dir, 2).images()).extracting(Corpus.Image::name).containsExactly("a.png", "b.jpeg");
        assertThat(Corpus.load(dir, 5).size()).isEqualTo(5);
    }

    @Test
    void refusesALimitBelowOneAsSuchNotAsAnEmptyDirectory(@TempDir Path dir) throws IOException {
        write(dir.resolve("a.jpg"), "A");
        for (int limit : new int[] {0, -1}) {
            assertThatThrownBy(() -> Corpus.load(dir, limit)).as("limit %d", limit)
                    .isInstanceOf(ArgusException.class)
                    .hasMessageNotContaining("No image files")
                    .hasMessageContaining(String.valueOf(limit));
        }
    }

    @Test
    void refusesAMissingDirectoryNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> Corpus.load(missing, 10))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void refusesADirectoryWithoutImagesSayingWhichFilesCount(@TempDir Path dir) throws IOException {
        write(dir.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> Corpus.load(dir, 10))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("No image files")
                .hasMessageContaining(".jpg");
    }

    @Test
    void refusesAnEmptyDirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> Corpus.load(dir, 10)).isInstanceOf(ArgusException.class).hasMessageContaining("No image files");
    }
}

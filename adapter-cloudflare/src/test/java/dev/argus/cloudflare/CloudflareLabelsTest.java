package dev.argus.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.LabelSet;
import dev.argus.domain.LabelStyle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudflareLabelsTest {
    final LabelSet imagenet = LabelSet.imagenet1k();
    final CloudflareLabels labels = new CloudflareLabels(imagenet);

    @Test
    void everyCloudflareLabelMapsBackToItsClassExceptTheSixThatShareOne() {
        List<Integer> unresolved = new ArrayList<>();
        for (int i = 0; i < imagenet.size(); i++) {
            int found = labels.classIndex(imagenet.label(i, LabelStyle.CLOUDFLARE));
            if (found == -1) {
                unresolved.add(i);
            } else {
                assertThat(found).isEqualTo(i);
            }
        }
        assertThat(unresolved).containsExactly(134, 264, 474, 517, 638, 639);
    }

    @Test
    void fullNamesMapBackToo() {
        for (int i = 0; i < imagenet.size(); i++) {
            int found = labels.classIndex(imagenet.fullNames().get(i));
            assertThat(found).isIn(i, -1);
        }
        assertThat(labels.classIndex("Pekinese, Pekingese, Peke")).isEqualTo(154);
        assertThat(labels.classIndex("maillot, tank suit")).isEqualTo(639);
    }

    @Test
    void matchingIgnoresCaseAndExtraSpaces() {
        assertThat(labels.classIndex("  persian   cat ")).isEqualTo(283);
    }

    @Test
    void unknownLabelsAreNormalisedToTheCloudflareStyle() {
        assertThat(labels.classIndex("hot dog stand")).isEqualTo(-1);
        assertThat(labels.label("hot dog stand, kiosk", -1, LabelStyle.CLOUDFLARE)).isEqualTo("HOT DOG STAND");
        assertThat(labels.label(" hot dog stand ", -1, LabelStyle.IMAGENET)).isEqualTo("hot dog stand");
    }

    @Test
    void ambiguousLabelsUseTheSharedFullNameWhereThereIsOne() {
        assertThat(labels.label("CRANE", -1, LabelStyle.IMAGENET)).isEqualTo("crane");
        assertThat(labels.label("CARDIGAN", -1, LabelStyle.IMAGENET)).isEqualTo("CARDIGAN");
        assertThat(labels.label("maillot", -1, LabelStyle.CLOUDFLARE)).isEqualTo("MAILLOT");
    }
}

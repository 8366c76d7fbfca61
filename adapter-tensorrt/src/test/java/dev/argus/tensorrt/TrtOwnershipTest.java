package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TrtOwnership} on native objects shaped like TensorRT's (an {@code INoCopy}-style base, an interface, a hidden
 * implementation), compiled here with g++: {@code close()} runs the virtual deleting destructor exactly once.
 */
class TrtOwnershipTest {
    private static int nextId = 1000;

    @BeforeAll
    static void compileTheStandIn() throws Exception {
        NativeStandIn.load(Path.of("target/standin"));
    }

    private static int[] destroyedSince(int before) {
        int[] all = NativeStandIn.destroyed();
        return java.util.Arrays.copyOfRange(all, before, all.length);
    }

    @Test
    void withoutOwnershipCloseFreesNothingAsThePresetsDo() {
        int before = NativeStandIn.destroyed().length;
        NativeStandIn p = NativeStandIn.create(nextId++);
        p.close();
        assertThat(destroyedSince(before)).as("the presets' behaviour this class works around").isEmpty();
    }

    @Test
    void closeRunsTheDeletingDestructorOnce() {
        int before = NativeStandIn.destroyed().length;
        int id = nextId++;
        NativeStandIn p = TrtOwnership.own(NativeStandIn.create(id));
        assertThat(destroyedSince(before)).isEmpty();
        p.close();
        assertThat(destroyedSince(before)).containsExactly(id);
        assertThat(p.isNull()).as("the wrapper no longer points at the freed object").isTrue();
        p.close();
        assertThat(destroyedSince(before)).as("a second close does not delete twice").containsExactly(id);
    }

    @Test
    void objectsReleasedInReverseOrderAreDestroyedInThatOrder() {
        int before = NativeStandIn.destroyed().length;
        List<Pointer> owned = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = nextId++;
            ids.add(0, id);
            owned.add(TrtOwnership.own(NativeStandIn.create(id)));
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        assertThat(destroyedSince(before)).containsExactly(ids.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void manyObjectsCreatedAndClosedDoNotLeak() {
        int before = NativeStandIn.destroyed().length;
        for (int i = 0; i < 2000; i++) {
            TrtOwnership.own(NativeStandIn.create(nextId++)).close();
        }
        assertThat(destroyedSince(before)).hasSize(2000);
    }

    @Test
    void nullPointersAreLeftAlone() {
        assertThat(TrtOwnership.own((Pointer) null)).isNull();
        Pointer empty = new Pointer();
        assertThat(TrtOwnership.own(empty)).isSameAs(empty);
        empty.close();
    }

    @Test
    void aParserShapedObjectIsDeletedThroughSlotSeven() {
        int before = NativeStandIn.destroyed().length;
        int id = nextId++;
        NativeStandIn p = NativeStandIn.createParserLike(id);
        assertThat(TrtOwnership.ownParser(p, TrtOwnership.PARSER_LAYOUT_VERSION, TrtOwnership.PARSER_LAYOUT_VERSION,
                TrtOwnership.PARSER_LAYOUT_TENSORRT_MAJOR)).isTrue();
        assertThat(destroyedSince(before)).isEmpty();
        p.close();
        assertThat(destroyedSince(before)).containsExactly(id);
        p.close();
        assertThat(destroyedSince(before)).containsExactly(id);
    }

    @Test
    void aParserFromAnotherLibraryVersionIsLeftAlone() {
        int before = NativeStandIn.destroyed().length;
        NativeStandIn p = NativeStandIn.createParserLike(nextId++);
        int layout = TrtOwnership.PARSER_LAYOUT_VERSION;
        int major = TrtOwnership.PARSER_LAYOUT_TENSORRT_MAJOR;
        assertThat(TrtOwnership.ownParser(p, layout + 100, layout, major)).as("library newer than the bindings").isFalse();
        assertThat(TrtOwnership.ownParser(p, layout + 100, layout + 100, major)).as("bindings of an unknown layout").isFalse();
        assertThat(TrtOwnership.ownParser(p, layout, layout, major + 1)).as("another TensorRT major version").isFalse();
        p.close();
        assertThat(destroyedSince(before)).as("nothing deleted at an unverified slot").isEmpty();
        assertThat(TrtOwnership.ownParser(null, layout, layout, major)).isFalse();
    }

    @Test
    void anOwnedObjectNobodyClosedIsNotDeletedByTheGarbageCollector() throws InterruptedException {
        int before = NativeStandIn.destroyed().length;
        int live = TrtOwnership.live();
        java.lang.ref.WeakReference<NativeStandIn> ref = new java.lang.ref.WeakReference<>(TrtOwnership.own(NativeStandIn.create(nextId++)));
        assertThat(TrtOwnership.live()).isEqualTo(live + 1);
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(ref.get()).as("kept reachable until released").isNotNull();
        assertThat(destroyedSince(before)).as("no deletion in an order nobody chose").isEmpty();
        TrtOwnership.release(ref.get());
        assertThat(destroyedSince(before)).hasSize(1);
        assertThat(TrtOwnership.live()).isEqualTo(live);
    }

    @Test
    void withoutTheRegistryTheGarbageCollectorWouldDeleteAnUnclosedObject() throws InterruptedException {
        // The control for the test above: a deleter attached but not held is run by JavaCPP's collection of
        // unreachable pointers, at a time and in an order nobody chose.
        int before = NativeStandIn.destroyed().length;
        TrtOwnership.attachDeleter(NativeStandIn.create(nextId++), TrtOwnership.INOCOPY_DELETING_DESTRUCTOR_SLOT);
        for (int i = 0; i < 500 && destroyedSince(before).length == 0; i++) {
            System.gc();
            Thread.sleep(20);
            Pointer.deallocateReferences();
        }
        assertThat(destroyedSince(before)).hasSize(1);
    }
}

package dev.jvisor.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.state.TestGraph.Node;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphDepthTest {
    private static final int DEPTH = 200_000;

    @TempDir
    Path tmp;

    @Test
    void linkedList200kDeepRoundTripsOnTheBigStack() throws Exception {
        Path file = tmp.resolve("kernel.bin");
        new GraphWriter(TestGraph.REGISTRY).write(file, TestGraph.linkedList(DEPTH));

        Node n = new GraphReader(TestGraph.REGISTRY).read(file, Node.class);
        int count = 0;
        for (; n != null; n = n.next) {
            assertEquals(count++, n.value);
        }
        assertEquals(DEPTH, count);
    }

    @Test
    void stackOverflowBecomesAClearExceptionAndTheJvmCarriesOn() throws Exception {
        Path file = tmp.resolve("kernel.bin");
        SnapshotException e = assertThrows(SnapshotException.class, () ->
                new GraphWriter(TestGraph.REGISTRY, 3, 4L << 20)
                        .write(file, TestGraph.linkedList(DEPTH)));
        assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());

        Path again = tmp.resolve("again.bin");
        new GraphWriter(TestGraph.REGISTRY).write(again, TestGraph.linkedList(10));
        assertEquals(9, new GraphReader(TestGraph.REGISTRY).read(again, Node.class)
                .next.next.next.next.next.next.next.next.next.value);
    }
}

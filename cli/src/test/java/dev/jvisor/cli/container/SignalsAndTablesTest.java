package dev.jvisor.cli.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jvisor.cli.oci.BundleException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalsAndTablesTest {
    @Test
    void signalsByNameOrNumber() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(9, Signals.parse("kill"));
        assertEquals(2, Signals.parse("2"));
        assertEquals(34, Signals.parse("SIGRTMIN"));
        assertThrows(BundleException.class, () -> Signals.parse("SIGNOPE"));
        assertThrows(BundleException.class, () -> Signals.parse("65"));
    }

    @Test
    void tablesPadLikeTabwriter() {
        String t = Tables.format(List.of(List.of("ID", "PID", "OWNER"), List.of("a-long-container-id", "1", "root")));
        // Widest cell + 3 (19 + 3 = 22), and never under 12; the last column is not padded.
        assertEquals("ID" + " ".repeat(20) + "PID" + " ".repeat(9) + "OWNER\n"
                + "a-long-container-id" + " ".repeat(3) + "1" + " ".repeat(11) + "root\n", t);
    }

    @Test
    void containerIds() {
        assertEquals("a.b-c_d+1", ContainerId.check("a.b-c_d+1"));
        assertThrows(BundleException.class, () -> ContainerId.check("a/b"));
        assertThrows(BundleException.class, () -> ContainerId.check(".."));
        assertThrows(BundleException.class, () -> ContainerId.check(""));
    }
}

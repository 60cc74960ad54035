package dev.jvisor.platform;

import dev.jvisor.platform.host.Libc;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A memory file, a platform and one fresh address space per test, and a way to load machine code. */
abstract class PlatformFixture {
    static final long CODE = 0x400000;
    MemoryFile mem;
    Platform platform;
    AddressSpace as;

    abstract Platform newPlatform(MemoryFile memory);

    @BeforeEach
    void setUp() {
        mem = MemoryFile.create(1L << 30);
        platform = newPlatform(mem);
        as = platform.newAddressSpace();
    }

    @AfterEach
    void tearDown() {
        as.release();
        platform.close();
        mem.close();
    }

    /** Maps the concatenated code at {@link #CODE}, read and execute. */
    void loadCode(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        for (byte[] p : parts) {
            b.put(p);
        }
        long off = mem.allocate(4096);
        mem.write(off, b.array(), 0, b.position());
        as.map(CODE, 4096, off, Libc.PROT_READ | Libc.PROT_EXEC);
    }
}

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

    /**
     * A second thread shares the address space: a store by one is seen by the other, both run at once
     * from their own Java threads, and ending one leaves the other running.
     */
    @org.junit.jupiter.api.Test
    void threadsShareTheAddressSpace() throws Exception {
        // start: mov %rdi,(%rbx); mov $39,%eax; syscall; mov (%rbx),%rsi; jmp start
        loadCode(new byte[] {0x48, (byte) 0x89, 0x3b, (byte) 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0x48, (byte) 0x8b, 0x33,
                (byte) 0xeb, (byte) 0xf1});
        long data = 0x10000000L;
        as.map(data, 4096, mem.allocate(4096), Libc.PROT_READ | Libc.PROT_WRITE);
        Context a = as.mainContext();
        a.setReg(Reg.RIP, CODE);
        a.setReg(Reg.RBX, data);
        a.setReg(Reg.RDI, 111);
        org.junit.jupiter.api.Assertions.assertEquals(StopReason.SYSCALL, a.switchToApp());
        Context b = a.newThread();
        b.setReg(Reg.RIP, CODE);
        b.setReg(Reg.RBX, data);
        b.setReg(Reg.RDI, 222);
        org.junit.jupiter.api.Assertions.assertEquals(StopReason.SYSCALL, b.switchToApp());
        org.junit.jupiter.api.Assertions.assertEquals(StopReason.SYSCALL, a.switchToApp());
        org.junit.jupiter.api.Assertions.assertEquals(222, a.reg(Reg.RSI));
        // Both at once, each from its own Java thread.
        Thread other = new Thread(() -> {
            for (int i = 0; i < 2000; i++) {
                b.switchToApp();
            }
        });
        other.start();
        for (int i = 0; i < 2000; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(StopReason.SYSCALL, a.switchToApp());
        }
        other.join();
        Context c = a.newThread();
        b.release();
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RBX, data);
        c.setReg(Reg.RDI, 333);
        org.junit.jupiter.api.Assertions.assertEquals(StopReason.SYSCALL, c.switchToApp());
        org.junit.jupiter.api.Assertions.assertEquals(StopReason.SYSCALL, a.switchToApp());
        org.junit.jupiter.api.Assertions.assertEquals(333, a.reg(Reg.RSI));
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

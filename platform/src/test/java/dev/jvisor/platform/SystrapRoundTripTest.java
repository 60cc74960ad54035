package dev.jvisor.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jvisor.platform.host.Libc;
import dev.jvisor.platform.systrap.SystrapPlatform;
import org.junit.jupiter.api.Test;

/** Runs hand-assembled code in a real stub: syscalls, faults, lazy mapping, interrupts. */
class SystrapRoundTripTest extends PlatformFixture {
    @Override
    Platform newPlatform(MemoryFile memory) {
        return new SystrapPlatform(memory);
    }

    @Test
    void syscallsComeBackWithResults() {
        // loop: mov $39,%eax; syscall; mov %rax,%rdi; jmp loop
        loadCode(new byte[] {(byte) 0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0x48, (byte) 0x89, (byte) 0xc7, (byte) 0xeb, (byte) 0xf4});
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        for (int i = 0; i < 1000; i++) {
            assertEquals(StopReason.SYSCALL, c.switchToApp());
            assertEquals(39, c.reg(Reg.RAX));
            if (i > 0) {
                assertEquals(i - 1 + 1000, c.reg(Reg.RDI));
            }
            c.setReg(Reg.RAX, i + 1000);
        }
        // A short sample: bench/syscall-roundtrip.sh is the benchmark.
        for (int w = 0; w < 20_000; w++) {
            c.switchToApp();
            c.setReg(Reg.RAX, 1);
        }
        int n = 50_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            c.switchToApp();
            c.setReg(Reg.RAX, 1);
        }
        long dt = System.nanoTime() - t0;
        System.out.printf("systrap round trip: %.0f ns%n", (double) dt / n);
    }

    @Test
    void faultsReportAddressAndResumeAfterMapping() {
        // mov (%rbx),%rax ; mov $60,%eax; syscall
        loadCode(new byte[] {0x48, (byte) 0x8b, 0x03, (byte) 0xb8, 60, 0, 0, 0, 0x0f, 0x05});
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RBX, 0x10000008L);
        assertEquals(StopReason.FAULT, c.switchToApp());
        assertEquals(11, c.faultSignal());
        assertEquals(0x10000008L, c.faultAddress());
        long off = mem.allocate(4096);
        byte[] v = {0x2a, 0, 0, 0, 0, 0, 0, 0};
        mem.write(off + 8, v, 0, 8);
        as.map(0x10000000L, 4096, off, Libc.PROT_READ);
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(60, c.reg(Reg.RAX));
        assertEquals(0, c.reg(Reg.RAX) == 60 ? 0 : 1);
    }

    @Test
    void cpuidTrapsExactlyWhenTheHostHasCpuidFaulting() {
        // cpuid; then syscall 60
        loadCode(new byte[] {0x0f, (byte) 0xa2, (byte) 0xb8, 60, 0, 0, 0, 0x0f, 0x05});
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RAX, 0);
        if (as.cpuidFaulting()) {
            assertEquals(StopReason.FAULT, c.switchToApp());
            assertEquals(11, c.faultSignal());
            assertEquals(CODE, c.reg(Reg.RIP));
            c.setReg(Reg.RIP, CODE + 2);
        }
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(CODE + 9, c.reg(Reg.RIP));
    }

    @Test
    void interruptStopsALoop() throws Exception {
        loadCode(new byte[] {(byte) 0xeb, (byte) 0xfe}); // jmp .
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
            }
            c.interrupt();
        });
        t.start();
        assertEquals(StopReason.INTERRUPT, c.switchToApp());
        assertEquals(CODE, c.reg(Reg.RIP));
        t.join();
    }
}

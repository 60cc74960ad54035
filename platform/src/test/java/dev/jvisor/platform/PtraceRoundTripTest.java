package dev.jvisor.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jvisor.platform.host.Libc;
import dev.jvisor.platform.ptrace.PtracePlatform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ptrace platform on hand-assembled code: the same round trips as {@link SystrapRoundTripTest}, and more. */
@Timeout(120)
class PtraceRoundTripTest extends PlatformFixture {
    private static final byte[] SYSCALL_39 = {(byte) 0xb8, 39, 0, 0, 0, 0x0f, 0x05}; // mov $39,%eax; syscall

    @Override
    Platform newPlatform(MemoryFile memory) {
        return new PtracePlatform(memory);
    }

    /** Maps a fresh page at {@code addr} whose first word is {@code value}. */
    private void mapPage(long addr, long value, int prot) {
        long off = mem.allocate(4096);
        byte[] v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        mem.write(off, v, 0, 8);
        as.map(addr, 4096, off, prot);
    }

    private static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = (byte) b[i];
        }
        return r;
    }

    @Test
    void syscallsComeBackWithResults() {
        // loop: mov $39,%eax; syscall; mov %rax,%rdi; jmp loop
        loadCode(SYSCALL_39, bytes(0x48, 0x89, 0xc7, 0xeb, 0xf4));
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        for (int i = 0; i < 1000; i++) {
            assertEquals(StopReason.SYSCALL, c.switchToApp());
            assertEquals(39, c.reg(Reg.RAX));
            assertEquals(CODE + 7, c.reg(Reg.RIP));
            if (i > 0) {
                assertEquals(i - 1 + 1000, c.reg(Reg.RDI));
            }
            c.setReg(Reg.RAX, i + 1000);
        }
        for (int w = 0; w < 2000; w++) {
            c.switchToApp();
            c.setReg(Reg.RAX, 1);
        }
        int n = 20_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            c.switchToApp();
            c.setReg(Reg.RAX, 1);
        }
        long dt = System.nanoTime() - t0;
        System.out.printf("ptrace round trip: %.1f us%n", dt / 1000.0 / n);
        assertTrue(c.cpuTimeNanos(false) > 0);
        assertTrue(c.cpuTimeNanos(true) >= c.cpuTimeNanos(false) / 2);
    }

    @Test
    void syscallResultIsWhatTheAppSeesEvenWhenUnchanged() {
        // syscall; mov %rax,%rdi; syscall
        loadCode(SYSCALL_39, bytes(0x48, 0x89, 0xc7), SYSCALL_39);
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        // RAX left alone: the app sees the number, as with systrap (the host held -ENOSYS).
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(39, c.reg(Reg.RDI));
    }

    @Test
    void faultsReportAddressAndResumeAfterMapping() {
        // mov (%rbx),%rax ; mov $60,%eax; syscall
        loadCode(bytes(0x48, 0x8b, 0x03, 0xb8, 60, 0, 0, 0, 0x0f, 0x05));
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RBX, 0x10000008L);
        assertEquals(StopReason.FAULT, c.switchToApp());
        assertEquals(11, c.faultSignal());
        assertEquals(1, c.faultCode()); // SEGV_MAPERR
        assertEquals(0x10000008L, c.faultAddress());
        assertEquals(14, c.trapNumber());
        assertEquals(0, c.trapError() & (2 | 16)); // a read
        assertEquals(CODE, c.reg(Reg.RIP));
        mapPage(0x10000000L, 0, Libc.PROT_READ);
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(60, c.reg(Reg.RAX));
    }

    @Test
    void writeToReadOnlyPageIsAWriteAccessFault() {
        // mov %rax,(%rbx); mov (%rbx),%rdi; mov $39,%eax; syscall
        loadCode(bytes(0x48, 0x89, 0x03, 0x48, 0x8b, 0x3b), SYSCALL_39);
        mapPage(0x10000000L, 7, Libc.PROT_READ);
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RBX, 0x10000010L);
        c.setReg(Reg.RAX, 0x55);
        assertEquals(StopReason.FAULT, c.switchToApp());
        assertEquals(2, c.faultCode()); // SEGV_ACCERR
        assertEquals(14, c.trapNumber());
        assertEquals(2 | 1 | 4, c.trapError());
        as.protect(0x10000000L, 4096, Libc.PROT_READ | Libc.PROT_WRITE);
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(0x55, c.reg(Reg.RDI));
    }

    @Test
    void jumpToUnmappedCodeIsAnExecFault() {
        loadCode(bytes(0xff, 0xe3)); // jmp *%rbx
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RBX, 0x20000000L);
        assertEquals(StopReason.FAULT, c.switchToApp());
        assertEquals(0x20000000L, c.faultAddress());
        assertEquals(0x20000000L, c.reg(Reg.RIP));
        assertEquals(16 | 4, c.trapError());
    }

    @Test
    void otherFaultsAreReported() {
        loadCode(bytes(0x0f, 0x0b, 0xcc)); // ud2; int3
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        assertEquals(StopReason.FAULT, c.switchToApp());
        assertEquals(4, c.faultSignal());
        assertEquals(6, c.trapNumber());
        c.setReg(Reg.RIP, CODE + 2);
        assertEquals(StopReason.FAULT, c.switchToApp());
        assertEquals(5, c.faultSignal());
        assertEquals(3, c.trapNumber());
        assertEquals(CODE + 3, c.reg(Reg.RIP));
    }

    @Test
    void cpuidTrapsExactlyWhenTheHostHasCpuidFaulting() {
        // cpuid; then syscall 60
        loadCode(bytes(0x0f, 0xa2, 0xb8, 60, 0, 0, 0, 0x0f, 0x05));
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RAX, 0);
        if (as.cpuidFaulting()) {
            assertEquals(StopReason.FAULT, c.switchToApp());
            assertEquals(11, c.faultSignal());
            assertEquals(13, c.trapNumber());
            assertEquals(CODE, c.reg(Reg.RIP));
            c.setReg(Reg.RIP, CODE + 2);
        }
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(CODE + 9, c.reg(Reg.RIP));
    }

    @Test
    void interruptStopsALoop() throws Exception {
        loadCode(bytes(0xeb, 0xfe)); // jmp .
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        for (int round = 0; round < 3; round++) {
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

    @Test
    void interruptBeforeTheFirstRunIsNotLost() {
        loadCode(bytes(0xeb, 0xfe)); // jmp .
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.interrupt();
        assertEquals(StopReason.INTERRUPT, c.switchToApp());
        assertEquals(CODE, c.reg(Reg.RIP));
    }

    @Test
    void manyMapOpsApplyInOrder() {
        // loop: mov (%rbx),%rdi; mov $39,%eax; syscall; add $0x1000,%rbx; jmp loop
        loadCode(bytes(0x48, 0x8b, 0x3b), SYSCALL_39, bytes(0x48, 0x81, 0xc3, 0x00, 0x10, 0x00, 0x00, 0xeb, 0xed));
        long base = 0x10000000L;
        int pages = 300;
        for (int i = 0; i < pages; i++) {
            mapPage(base + i * 4096L, 1000 + i, Libc.PROT_READ);
        }
        // Remap page 7 over itself, unmap and re-map page 9, protect page 11 away and back.
        mapPage(base + 7 * 4096L, 7777, Libc.PROT_READ);
        as.unmap(base + 9 * 4096L, 4096);
        mapPage(base + 9 * 4096L, 9999, Libc.PROT_READ | Libc.PROT_WRITE);
        as.protect(base + 11 * 4096L, 4096, 0); // PROT_NONE
        as.protect(base + 11 * 4096L, 4096, Libc.PROT_READ);
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RBX, base);
        long t0 = System.nanoTime();
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        System.out.printf("ptrace: %d mapping ops in %.1f ms%n", pages + 5, (System.nanoTime() - t0) / 1e6);
        for (int i = 0; i < pages; i++) {
            long want = i == 7 ? 7777 : i == 9 ? 9999 : 1000 + i;
            assertEquals(want, c.reg(Reg.RDI), "page " + i);
            if (i == 20) {
                as.unmap(base + 100 * 4096L, 4096);
            }
            StopReason why = c.switchToApp();
            if (i == 99) {
                assertEquals(StopReason.FAULT, why);
                assertEquals(base + 100 * 4096L, c.faultAddress());
                break;
            }
            assertEquals(StopReason.SYSCALL, why);
        }
    }

    @Test
    void aFailedMappingChangeNamesTheHostErrno() {
        Context c = as.mainContext();
        as.map(0x10000001L, 4096, 0, Libc.PROT_READ); // unaligned: EINVAL
        PlatformException e = assertThrows(PlatformException.class, c::switchToApp);
        assertTrue(e.getMessage().contains("host errno 22 (EINVAL)"), e.getMessage());
        assertTrue(e.getMessage().contains("mmap(0x10000001"), e.getMessage());
    }

    @Test
    void registersFsBaseAndFpStateSurviveSaveAndLoad() {
        // movq %rdi,%xmm0; syscall 39; movq %xmm0,%rdi; mov %fs:0,%rsi; syscall 39
        loadCode(bytes(0x66, 0x48, 0x0f, 0x6e, 0xc7), SYSCALL_39, bytes(0x66, 0x48, 0x0f, 0x7e, 0xc7),
                bytes(0x64, 0x48, 0x8b, 0x34, 0x25, 0, 0, 0, 0), SYSCALL_39);
        mapPage(0x30000000L, 0x77, Libc.PROT_READ);
        Context c = as.mainContext();
        CpuState fresh = new CpuState();
        c.save(fresh);
        assertNull(fresh.fpState); // never ran, nothing loaded: the initial state
        c.setReg(Reg.RIP, CODE);
        c.setReg(Reg.RDI, 0x1234);
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        CpuState s = new CpuState();
        c.save(s);
        assertNotNull(s.fpState);
        assertTrue(s.fpState.length >= 512);
        ByteBuffer fp = ByteBuffer.wrap(s.fpState).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1234, fp.getLong(160)); // XMM0 in the FXSAVE area
        assertEquals(0x1f80, fp.getInt(24) & 0xffff); // MXCSR
        // A new value for XMM0 and the registers, through load().
        fp.putLong(160, 0x5678);
        s.fsBase = 0x30000000L;
        s.set(Reg.RBP, 0xbeef);
        c.setReg(Reg.RBP, 1);
        c.load(s);
        assertEquals(0xbeef, c.reg(Reg.RBP));
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(0x5678, c.reg(Reg.RDI));
        assertEquals(0x77, c.reg(Reg.RSI));
        assertEquals(0x30000000L, c.fsBase());
        assertEquals(0xbeef, c.reg(Reg.RBP));
        CpuState again = new CpuState();
        c.save(again);
        assertEquals(0x5678, ByteBuffer.wrap(again.fpState).order(ByteOrder.LITTLE_ENDIAN).getLong(160));
        // A null FP state is the initial one: XMM0 back to what it was at attach.
        CpuState initial = again.copy();
        initial.fpState = null;
        initial.set(Reg.RIP, CODE + 12);
        c.load(initial);
        CpuState seen = new CpuState();
        c.save(seen);
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(ByteBuffer.wrap(seen.fpState).order(ByteOrder.LITTLE_ENDIAN).getLong(160), c.reg(Reg.RDI));
        assertTrue(c.reg(Reg.RDI) != 0x5678);
        byte[] wrongSize = new byte[100];
        CpuState bad = again.copy();
        bad.fpState = wrongSize;
        c.load(bad);
        assertThrows(PlatformException.class, c::switchToApp);
    }

    @Test
    void registersSetBeforeTheFirstRunWinOverTheStubs() {
        loadCode(SYSCALL_39);
        Context c = as.mainContext();
        CpuState s = new CpuState();
        s.set(Reg.RIP, CODE);
        s.set(Reg.R15, 15);
        s.set(Reg.RSP, 0x7000);
        c.load(s);
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        assertEquals(15, c.reg(Reg.R15));
        assertEquals(0x7000, c.reg(Reg.RSP));
    }

    @Test
    void onlyTheTracerThreadMayDriveIt() throws Exception {
        loadCode(SYSCALL_39);
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        assertEquals(StopReason.SYSCALL, c.switchToApp());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                c.switchToApp();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "intruder");
        t.start();
        t.join();
        assertTrue(failure.get() instanceof PlatformException, String.valueOf(failure.get()));
        assertTrue(failure.get().getMessage().contains("tracer thread"), failure.get().getMessage());
    }

    @Test
    void aKilledStubIsReported() throws Exception {
        loadCode(bytes(0xeb, 0xfe)); // jmp .
        Context c = as.mainContext();
        c.setReg(Reg.RIP, CODE);
        c.interrupt();
        assertEquals(StopReason.INTERRUPT, c.switchToApp());
        List<Integer> stubs = ptraceStubs();
        assertEquals(1, stubs.size());
        for (int pid : stubs) {
            Libc.syscall(Libc.SYS_KILL, pid, Libc.SIGKILL, 0, 0, 0, 0);
        }
        PlatformException e = assertThrows(PlatformException.class, c::switchToApp);
        assertTrue(e.getMessage().contains("killed by signal 9") || e.getMessage().contains("gone"), e.getMessage());
    }

    /** Our child processes running the stub (the other tests' stubs are all reaped by then). */
    private static List<Integer> ptraceStubs() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String children;
                try {
                    children = Files.readString(t.resolve("children")).trim();
                } catch (IOException gone) {
                    continue;
                }
                for (String p : children.isEmpty() ? new String[0] : children.split("\\s+")) {
                    // The stub unmaps its stack, so its cmdline reads empty: go by its name.
                    String comm;
                    try {
                        comm = Files.readString(Path.of("/proc", p, "comm"));
                    } catch (IOException gone) {
                        continue;
                    }
                    if (comm.startsWith("jvisor-stub")) {
                        out.add(Integer.parseInt(p));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void releaseReapsTheStub() throws Exception {
        List<Integer> before = ptraceStubs();
        assertEquals(1, before.size());
        as.release();
        as.release();
        assertTrue(ptraceStubs().isEmpty());
    }
}

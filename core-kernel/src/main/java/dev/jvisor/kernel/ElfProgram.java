package dev.jvisor.kernel;

import dev.jvisor.kernel.loader.ElfLoader;
import dev.jvisor.kernel.loader.ExecArgs;
import dev.jvisor.kernel.loader.HostElfSource;
import dev.jvisor.kernel.loader.InitialStack;
import dev.jvisor.kernel.loader.LoadedImage;
import dev.jvisor.kernel.loader.LoaderException;
import dev.jvisor.kernel.loader.LoaderMemory;
import dev.jvisor.kernel.loader.StackLayout;
import dev.jvisor.kernel.loader.StackParams;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.platform.CpuState;
import dev.jvisor.platform.Reg;
import dev.jvisor.platform.host.Libc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An ELF executable from the host file system, loaded as Linux's execve does: segments, the initial
 * stack with argv, envp and auxv, and registers at the entry point.
 */
public final class ElfProgram implements ProgramImage {
    /** The stack's top, below the stub region, and its size (RLIMIT_STACK). */
    private static final long STACK_GAP = 0x10000000L;
    private static final long STACK_SIZE = 8L << 20;
    private static final long AT_HWCAP = 16, AT_HWCAP2 = 26, AT_MINSIGSTKSZ = 51;
    /** HWCAP2_FSGSBASE: not offered, so apps change fs only through arch_prctl, which the Sentry sees. */
    private static final long HWCAP2_FSGSBASE = 2;

    private final Path path;
    private final List<String> argv;
    private final List<String> envp;

    public ElfProgram(Path path, List<String> argv, List<String> envp) {
        this.path = path;
        this.argv = argv;
        this.envp = envp;
    }

    /** Checks the file is a static x86-64 ELF executable before any sandbox is built. */
    public static void validate(Path path) throws LoaderException {
        try (HostElfSource src = HostElfSource.open(path)) {
            dev.jvisor.kernel.loader.ElfFile elf = dev.jvisor.kernel.loader.ElfFile.parse(src);
            if (elf.interpreter() != null) {
                throw new LoaderException(Errno.ENOEXEC, "dynamically linked (interpreter " + elf.interpreter()
                        + "); this jvisor runs static programs only");
            }
        } catch (LoaderException e) {
            throw e;
        } catch (IOException e) {
            throw new LoaderException(Errno.EIO, e.getMessage(), e);
        }
    }

    @Override
    public void loadInto(Task t) {
        MemoryManager mm = t.mm();
        long stackTop = mm.maxAddr() - STACK_GAP;
        mm.setMmapBase(stackTop - STACK_SIZE - STACK_GAP);
        LoaderMemory mem = new LoaderMemory() {
            @Override
            public void mapFixed(long addr, long len, int prot, String name) throws LoaderException {
                try {
                    mm.mmapAnonymous(addr, len, prot, MemoryManager.MAP_PRIVATE | MemoryManager.MAP_ANONYMOUS
                            | MemoryManager.MAP_FIXED, name);
                } catch (SyscallException e) {
                    throw new LoaderException(e.errno, "cannot map " + name + " at 0x" + Long.toHexString(addr));
                }
            }

            @Override
            public void write(long addr, byte[] src, int off, int len) {
                mm.write(addr, src, off, len);
            }

            @Override
            public long findFree(long len) throws LoaderException {
                try {
                    return mm.findFree(len);
                } catch (SyscallException e) {
                    throw new LoaderException(e.errno, "no room for a " + len + "-byte image");
                }
            }

            @Override
            public void setBrkStart(long addr) {
                mm.setBrkStart(addr);
            }
        };
        try (HostElfSource src = HostElfSource.open(path)) {
            LoadedImage img = ElfLoader.load(src, mem);
            if (img.interpreter() != null) {
                throw new LoaderException(Errno.ENOEXEC, path + " is dynamically linked; this jvisor runs static programs only");
            }
            byte[] random = new byte[16];
            t.kernel.runtime().random().nextBytes(random);
            Credentials c = t.threadGroup().creds;
            StackParams params = StackParams.builder()
                    .hwcap(Libc.getauxval(AT_HWCAP))
                    .hwcap2(Libc.getauxval(AT_HWCAP2) & ~HWCAP2_FSGSBASE)
                    .minSigStackSize(Libc.getauxval(AT_MINSIGSTKSZ))
                    .uid(c.uid, c.euid)
                    .gid(c.gid, c.egid)
                    .random(random)
                    .build();
            InitialStack.mapStack(mem, stackTop, STACK_SIZE, img.executableStack());
            StackLayout stack = InitialStack.build(mem, stackTop, STACK_SIZE,
                    ExecArgs.of(argv, envp, path.toString()), img, 0, params);
            CpuState cpu = t.cpu();
            java.util.Arrays.fill(cpu.gregs, 0);
            cpu.set(Reg.RIP, img.entry());
            cpu.set(Reg.RSP, stack.rsp());
            cpu.set(Reg.EFLAGS, 0x202);
            cpu.fsBase = 0;
            cpu.fpState = null;
            t.threadGroup().exePath = path.toString();
            t.threadGroup().argv = List.copyOf(argv);
        } catch (IOException e) {
            throw new SandboxFailure("cannot load " + path + ": " + e.getMessage());
        }
    }
}

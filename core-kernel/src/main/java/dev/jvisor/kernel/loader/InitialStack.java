package dev.jvisor.kernel.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a new process's initial stack exactly as Linux does (fs/exec.c copy_strings and
 * fs/binfmt_elf.c create_elf_tables). From the top of the stack down:
 *
 * <pre>
 *   stackTop - 8      8 zero bytes (bprm->p starts one pointer below the top)
 *                     execfn string (AT_EXECFN)
 *                     envp strings, envp[0] lowest      (copy_strings copies the last one first)
 *                     argv strings, argv[0] lowest      (mm->arg_start)
 *                     padding: (p - alignPad) &amp; ~15
 *                     platform string "x86_64" (AT_PLATFORM)
 *                     16 random bytes (AT_RANDOM), directly below, unaligned
 *                     padding so that rsp is 16-byte aligned
 *                     auxv pairs, ending with AT_NULL
 *                     NULL, envp pointers
 *                     NULL, argv pointers
 *   rsp               argc
 * </pre>
 */
public final class InitialStack {
    /** Linux's default RLIMIT_STACK. */
    public static final long DEFAULT_STACK_SIZE = 8L << 20;
    /** Largest single argument or environment string, NUL included (MAX_ARG_STRLEN). */
    public static final int MAX_ARG_STRLEN = 32 * 4096;
    private static final long STK_LIM = 8L << 20;
    private static final long ARG_MAX = 32 * 4096;
    private static final long PAGE = 4096;

    private InitialStack() {}

    /**
     * Maps a stack of {@code size} bytes ending at {@code top}, named "[stack]": read-write, and
     * executable if the program asked for it with PT_GNU_STACK.
     */
    public static void mapStack(LoaderMemory mem, long top, long size, boolean executable) throws LoaderException {
        if ((top & (PAGE - 1)) != 0 || (size & (PAGE - 1)) != 0 || size <= 0 || size > top
                || Long.compareUnsigned(top, mem.userLimit()) > 0) {
            throw new IllegalArgumentException(String.format("bad stack: top 0x%x size 0x%x", top, size));
        }
        int prot = ProgramHeader.PROT_READ | ProgramHeader.PROT_WRITE | (executable ? ProgramHeader.PROT_EXEC : 0);
        mem.mapFixed(top - size, size, prot, "[stack]");
    }

    /**
     * Writes argv, envp, execfn, the random bytes, the platform string, the auxiliary vector and the
     * pointer arrays into the stack {@code [stackTop - stackSize, stackTop)}, which must be mapped and
     * still zero-filled. {@code stackSize} also plays Linux's RLIMIT_STACK: the strings and pointers
     * may use at most a quarter of it (but always 128 KiB, never more than 6 MiB), or E2BIG.
     *
     * @param exe the main executable (AT_PHDR, AT_PHENT, AT_PHNUM, AT_ENTRY)
     * @param interpBase the interpreter's base (AT_BASE), 0 without one
     */
    public static StackLayout build(LoaderMemory mem, long stackTop, long stackSize, ExecArgs args,
                                    LoadedImage exe, long interpBase, StackParams params) throws LoaderException {
        // Linux 5.18+ never starts a program with argc == 0: it pushes an empty argv[0].
        List<byte[]> argv = args.argv().isEmpty() ? List.of(new byte[0]) : args.argv();
        List<byte[]> envp = args.envp();
        byte[] execfn = args.execfn();
        checkLimits(args, argv, stackSize);

        // The strings, copied downwards from one pointer below the top.
        long p = stackTop - 8;
        p -= execfn.length + 1;
        long execfnAddr = p;
        long[] envAddrs = new long[envp.size()];
        for (int i = envp.size() - 1; i >= 0; i--) {
            p -= envp.get(i).length + 1;
            envAddrs[i] = p;
        }
        long envStart = p;
        long[] argAddrs = new long[argv.size()];
        for (int i = argv.size() - 1; i >= 0; i--) {
            p -= argv.get(i).length + 1;
            argAddrs[i] = p;
        }
        long argStart = p;

        // create_elf_tables: arch_align_stack, then platform string and random bytes.
        p = (p - params.alignPad()) & -16L;
        long tablesTop = p;
        byte[] platform = params.platform() != null ? params.platform().getBytes(StandardCharsets.UTF_8) : null;
        long platformAddr = 0;
        if (platform != null) {
            p -= platform.length + 1;
            platformAddr = p;
        }
        p -= 16;
        long randomAddr = p;

        List<Auxv.Entry> auxv = auxv(exe, interpBase, params, randomAddr, execfnAddr, platformAddr);
        long sp = p - 8L * 2 * auxv.size();
        long items = (argv.size() + 1) + (envp.size() + 1) + 1;
        long rsp = (sp - 8 * items) & -16L;
        if (rsp < stackTop - stackSize) {
            throw new LoaderException(LoaderException.E2BIG, String.format(
                    "arguments and environment do not fit in a stack of %d bytes", stackSize));
        }
        long argvAddr = rsp + 8;
        long envpAddr = argvAddr + 8L * (argv.size() + 1);
        long auxvAddr = envpAddr + 8L * (envp.size() + 1);

        // Low part: argc, pointer arrays, auxv, random bytes, platform string.
        ByteBuffer low = ByteBuffer.allocate((int) (tablesTop - rsp)).order(ByteOrder.LITTLE_ENDIAN);
        low.putLong(0, argv.size());
        for (int i = 0; i < argv.size(); i++) {
            low.putLong((int) (argvAddr - rsp) + 8 * i, argAddrs[i]);
        }
        for (int i = 0; i < envp.size(); i++) {
            low.putLong((int) (envpAddr - rsp) + 8 * i, envAddrs[i]);
        }
        for (int i = 0; i < auxv.size(); i++) {
            low.putLong((int) (auxvAddr - rsp) + 16 * i, auxv.get(i).type());
            low.putLong((int) (auxvAddr - rsp) + 16 * i + 8, auxv.get(i).value());
        }
        low.put((int) (randomAddr - rsp), params.random());
        if (platform != null) {
            low.put((int) (platformAddr - rsp), platform);
        }
        mem.write(rsp, low.array(), 0, low.capacity());

        // High part: the strings up to the top (the alignment gap between stays zero).
        byte[] high = new byte[(int) (stackTop - argStart)];
        for (int i = 0; i < argv.size(); i++) {
            put(high, argAddrs[i] - argStart, argv.get(i));
        }
        for (int i = 0; i < envp.size(); i++) {
            put(high, envAddrs[i] - argStart, envp.get(i));
        }
        put(high, execfnAddr - argStart, execfn);
        mem.write(argStart, high, 0, high.length);

        return new StackLayout(rsp, argv.size(), argvAddr, envpAddr, auxvAddr, argStart, envStart, envStart,
                execfnAddr, execfnAddr, randomAddr, platformAddr, auxv);
    }

    /** The auxiliary vector in create_elf_tables' order (ARCH_DLINFO first), ending with AT_NULL. */
    private static List<Auxv.Entry> auxv(LoadedImage exe, long interpBase, StackParams params, long randomAddr,
                                         long execfnAddr, long platformAddr) {
        List<Auxv.Entry> a = new ArrayList<>();
        if (params.vdsoBase() != 0) {
            a.add(new Auxv.Entry(Auxv.AT_SYSINFO_EHDR, params.vdsoBase()));
        }
        a.add(new Auxv.Entry(Auxv.AT_MINSIGSTKSZ, params.minSigStackSize()));
        a.add(new Auxv.Entry(Auxv.AT_HWCAP, params.hwcap()));
        a.add(new Auxv.Entry(Auxv.AT_PAGESZ, params.pageSize()));
        a.add(new Auxv.Entry(Auxv.AT_CLKTCK, params.clockTicks()));
        a.add(new Auxv.Entry(Auxv.AT_PHDR, exe.phdr()));
        a.add(new Auxv.Entry(Auxv.AT_PHENT, exe.phent()));
        a.add(new Auxv.Entry(Auxv.AT_PHNUM, exe.phnum()));
        a.add(new Auxv.Entry(Auxv.AT_BASE, interpBase));
        a.add(new Auxv.Entry(Auxv.AT_FLAGS, 0));
        a.add(new Auxv.Entry(Auxv.AT_ENTRY, exe.entry()));
        a.add(new Auxv.Entry(Auxv.AT_UID, Integer.toUnsignedLong(params.uid())));
        a.add(new Auxv.Entry(Auxv.AT_EUID, Integer.toUnsignedLong(params.euid())));
        a.add(new Auxv.Entry(Auxv.AT_GID, Integer.toUnsignedLong(params.gid())));
        a.add(new Auxv.Entry(Auxv.AT_EGID, Integer.toUnsignedLong(params.egid())));
        a.add(new Auxv.Entry(Auxv.AT_SECURE, params.secure() ? 1 : 0));
        a.add(new Auxv.Entry(Auxv.AT_RANDOM, randomAddr));
        a.add(new Auxv.Entry(Auxv.AT_HWCAP2, params.hwcap2()));
        a.add(new Auxv.Entry(Auxv.AT_EXECFN, execfnAddr));
        if (platformAddr != 0) {
            a.add(new Auxv.Entry(Auxv.AT_PLATFORM, platformAddr));
        }
        a.addAll(params.extraAuxv());
        a.add(new Auxv.Entry(Auxv.AT_NULL, 0));
        return a;
    }

    /** Linux's checks: no string over MAX_ARG_STRLEN, and strings plus pointers within bprm_stack_limits(). */
    private static void checkLimits(ExecArgs args, List<byte[]> argv, long stackSize) throws LoaderException {
        long bytes = checkString("execfn", args.execfn());
        for (int i = 0; i < argv.size(); i++) {
            bytes += checkString("argv[" + i + "]", argv.get(i));
        }
        for (int i = 0; i < args.envp().size(); i++) {
            bytes += checkString("envp[" + i + "]", args.envp().get(i));
        }
        long limit = Math.max(Math.min(STK_LIM / 4 * 3, stackSize / 4), ARG_MAX);
        long ptrSize = (Math.max(args.argv().size(), 1) + (long) args.envp().size()) * 8;
        if (limit <= ptrSize || bytes > limit - ptrSize) {
            throw new LoaderException(LoaderException.E2BIG, String.format(
                    "argument list too long: %d bytes of strings and %d of pointers, limit %d", bytes, ptrSize, limit));
        }
    }

    /** The stack space a string takes (its length plus NUL); rejects NULs inside and over-long strings. */
    private static long checkString(String what, byte[] s) throws LoaderException {
        for (byte c : s) {
            if (c == 0) {
                throw new LoaderException(LoaderException.EINVAL, what + " contains a NUL byte");
            }
        }
        if (s.length + 1 > MAX_ARG_STRLEN) {
            throw new LoaderException(LoaderException.E2BIG, what + " is longer than " + (MAX_ARG_STRLEN - 1) + " bytes");
        }
        return s.length + 1;
    }

    private static void put(byte[] dst, long offset, byte[] s) {
        System.arraycopy(s, 0, dst, (int) offset, s.length);
    }
}

package dev.jvisor.kernel;

import dev.jvisor.kernel.loader.ElfLoader;
import dev.jvisor.kernel.loader.ExecArgs;
import dev.jvisor.kernel.loader.InodeElfSource;
import dev.jvisor.kernel.loader.InterpreterImage;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.PathResolver;
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
import java.util.List;

/**
 * An ELF executable from the sandbox's file system, loaded as Linux's execve does: segments, the
 * program interpreter (ld.so) for dynamically linked programs, the initial stack with argv, envp and
 * auxv, and registers at the entry point.
 */
public final class ElfProgram implements ProgramImage {
    /** The stack's top, below the stub region, and its size (RLIMIT_STACK). */
    private static final long STACK_GAP = 0x10000000L;
    private static final long STACK_SIZE = 8L << 20;
    private static final long AT_HWCAP2 = 26, AT_MINSIGSTKSZ = 51;
    /** HWCAP2_FSGSBASE: not offered, so apps change fs only through arch_prctl, which the Sentry sees. */
    private static final long HWCAP2_FSGSBASE = 2;

    private final String path;
    private final List<String> argv;
    private final List<String> envp;

    /** {@code path} names the executable inside the sandbox (resolved from the task's cwd). */
    public ElfProgram(String path, List<String> argv, List<String> envp) {
        this.path = path;
        this.argv = argv;
        this.envp = envp;
    }

    /**
     * As execvp(3) finds a program: {@code name} itself if it contains a slash, else the first
     * executable file named so in a directory of {@code envp}'s PATH (or the default PATH). Throws
     * {@link ExecException} (ENOENT) if there is none.
     */
    public static String lookPath(Task t, String name, List<String> envp) {
        if (name.contains("/")) {
            return name;
        }
        String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (String e : envp) {
            if (e.startsWith("PATH=")) {
                path = e.substring(5);
            }
        }
        for (String dir : path.split(":", -1)) {
            String candidate = (dir.isEmpty() ? "." : dir) + "/" + name;
            try {
                resolveExecutable(t, candidate);
                return candidate;
            } catch (ExecException e) {
                // Not here (or not executable): try the next directory, as execvp does.
            }
        }
        throw new ExecException(Errno.ENOENT, name + ": not found in PATH " + path);
    }

    /** Finds an executable as execve(2) does: following symlinks, a regular file with execute permission. */
    static Location resolveExecutable(Task t, String path) {
        Location l;
        try {
            l = PathResolver.resolve(t, t.fsContext().cwd, path, true);
        } catch (SyscallException e) {
            throw new ExecException(e.errno, path + ": " + describe(e.errno));
        }
        Inode i = l.inode();
        if (!FileMode.isReg(i.mode()) || !i.permits(t.threadGroup().creds, 1)) {
            throw new ExecException(Errno.EACCES, path + ": permission denied");
        }
        return l;
    }

    private static String describe(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "no such file or directory";
            case Errno.ENOTDIR -> "not a directory";
            case Errno.ELOOP -> "too many levels of symbolic links";
            case Errno.EACCES -> "permission denied";
            default -> Errno.name(errno);
        };
    }

    /** Keeps what /proc/PID/{cmdline,environ,auxv,comm,stat} need from the new image. */
    private void recordForProc(ThreadGroup tg, StackLayout stack, long now) {
        tg.argStart = stack.argStart();
        tg.argEnd = stack.argEnd();
        tg.envStart = stack.envStart();
        tg.envEnd = stack.envEnd();
        tg.startStack = stack.rsp();
        long[] aux = new long[stack.auxv().size() * 2];
        for (int i = 0; i < stack.auxv().size(); i++) {
            aux[2 * i] = stack.auxv().get(i).type();
            aux[2 * i + 1] = stack.auxv().get(i).value();
        }
        tg.auxv = aux;
        // Linux: the file name of the path given to execve, truncated to TASK_COMM_LEN - 1 bytes.
        String name = path.substring(path.lastIndexOf('/') + 1);
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        tg.comm = b.length <= 15 ? name : new String(b, 0, 15, java.nio.charset.StandardCharsets.UTF_8);
        tg.startTimeNs = now;
    }

    /** Linux's AT_HWCAP on x86-64: CPUID leaf 1 EDX of the CPU the app is shown. */
    private static long hwcap(Task t) {
        String edx = t.kernel.cpuFeatures().get("1.edx");
        return edx != null ? Long.parseLong(edx, 16) : 0;
    }

    private static final int MAX_INTERPRETERS = 4;

    /** The ELF file to load and its argv, after following "#!" lines as Linux's binfmt_script does. */
    private record Target(String file, List<String> argv) {}

    private Target followScripts(Task t) {
        String file = path;
        List<String> args = new java.util.ArrayList<>(argv);
        for (int depth = 0; ; depth++) {
            Location l = resolveExecutable(t, file);
            byte[] head = new byte[256];
            int n = l.inode().readBytes(t, 0, head, 0, head.length);
            if (n < 2 || head[0] != '#' || head[1] != '!') {
                return new Target(file, args);
            }
            if (depth == MAX_INTERPRETERS) {
                throw new ExecException(Errno.ELOOP, path + ": too many levels of interpreters");
            }
            String line = new String(head, 2, n - 2, java.nio.charset.StandardCharsets.ISO_8859_1);
            int nl = line.indexOf('\n');
            if (nl < 0 && n == head.length) {
                throw new ExecException(Errno.ENOEXEC, path + ": interpreter line too long");
            }
            line = (nl >= 0 ? line.substring(0, nl) : line).strip();
            if (line.isEmpty()) {
                throw new ExecException(Errno.ENOEXEC, path + ": empty interpreter line");
            }
            int sp = line.indexOf(' ');
            int tab = line.indexOf('\t');
            if (sp < 0 || tab >= 0 && tab < sp) {
                sp = tab;
            }
            String interp = sp < 0 ? line : line.substring(0, sp);
            String optArg = sp < 0 ? "" : line.substring(sp).strip();
            List<String> next = new java.util.ArrayList<>();
            next.add(interp);
            if (!optArg.isEmpty()) {
                next.add(optArg);
            }
            next.add(file);
            next.addAll(args.isEmpty() ? List.of() : args.subList(1, args.size()));
            args = next;
            file = interp;
        }
    }

    @Override
    public void loadInto(Task t) {
        Target target = followScripts(t);
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
        Location exe = resolveExecutable(t, target.file());
        try {
            LoadedImage img = ElfLoader.load(new InodeElfSource(t, exe.inode(), target.file()), mem);
            long entry = img.entry();
            long interpBase = 0;
            if (img.interpreter() != null) {
                Location interp = resolveExecutable(t, img.interpreter());
                InterpreterImage ii = ElfLoader.loadInterpreter(
                        new InodeElfSource(t, interp.inode(), img.interpreter()), mem);
                entry = ii.entry();
                interpBase = ii.base();
            }
            byte[] random = new byte[16];
            t.kernel.runtime().random().nextBytes(random);
            ExecCredentials exec = ExecCredentials.compute(t, exe.inode());
            Credentials c = exec.creds;
            StackParams params = StackParams.builder()
                    .hwcap(hwcap(t))
                    .hwcap2(Libc.getauxval(AT_HWCAP2) & ~HWCAP2_FSGSBASE)
                    .minSigStackSize(Libc.getauxval(AT_MINSIGSTKSZ))
                    .uid(c.uid, c.euid)
                    .gid(c.gid, c.egid)
                    .secure(exec.secure)
                    .random(random)
                    .build();
            InitialStack.mapStack(mem, stackTop, STACK_SIZE, img.executableStack());
            StackLayout stack = InitialStack.build(mem, stackTop, STACK_SIZE,
                    ExecArgs.of(target.argv(), envp, path), img, interpBase, params);
            CpuState cpu = t.cpu();
            java.util.Arrays.fill(cpu.gregs, 0);
            cpu.set(Reg.RIP, entry);
            cpu.set(Reg.RSP, stack.rsp());
            cpu.set(Reg.EFLAGS, 0x202);
            cpu.fsBase = 0;
            cpu.fpState = null;
            t.threadGroup().exePath = PathResolver.pathOf(exe, t.fsContext().root);
            t.threadGroup().argv = List.copyOf(target.argv());
            recordForProc(t.threadGroup(), stack, t.kernel.clock().now());
            exec.commit(t);
        } catch (LoaderException e) {
            throw new ExecException(e.errno(), path + ": " + e.getMessage());
        }
    }
}

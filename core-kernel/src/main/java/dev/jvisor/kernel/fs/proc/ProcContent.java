package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.Kernel;
import dev.jvisor.kernel.Limits;
import dev.jvisor.kernel.SignalActions;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.ThreadGroup;
import dev.jvisor.kernel.fs.pipe.PipeFileDescription;
import dev.jvisor.kernel.mm.MemoryManager;
import dev.jvisor.kernel.mm.Vma;
import dev.jvisor.kernel.vfs.DirectoryDescription;
import dev.jvisor.kernel.vfs.FileDescription;
import dev.jvisor.kernel.vfs.FileMode;
import dev.jvisor.kernel.vfs.Inode;
import dev.jvisor.kernel.vfs.InodeFileDescription;
import dev.jvisor.kernel.vfs.Location;
import dev.jvisor.kernel.vfs.Mount;
import dev.jvisor.kernel.vfs.PathResolver;
import dev.jvisor.platform.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contents of every generated procfs file, in Linux's formats (fs/proc/array.c, task_mmu.c,
 * base.c, meminfo.c, stat.c...). Stateless: everything comes from the kernel's state at the time of
 * the call. Fields the sandbox has no notion of (page faults, context switches, I/O wait) are 0.
 */
final class ProcContent {
    private ProcContent() {}

    /** USER_HZ: the unit of the times in stat files. */
    private static final long TICK_NS = 10_000_000L;
    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    private static final String[] LIMIT_NAMES = {"Max cpu time", "Max file size", "Max data size", "Max stack size",
        "Max core file size", "Max resident set", "Max processes", "Max open files", "Max locked memory",
        "Max address space", "Max file locks", "Max pending signals", "Max msgqueue size", "Max nice priority",
        "Max realtime priority", "Max realtime timeout"};
    private static final String[] LIMIT_UNITS = {"seconds", "bytes", "bytes", "bytes", "bytes", "bytes", "processes",
        "files", "bytes", "bytes", "locks", "signals", "bytes", null, null, "us"};

    static byte[] generate(Task t, ProcFile f) {
        Kernel k = t.kernel;
        return switch (f.kind()) {
            case CPUINFO -> ProcFile.bytes(cpuinfo(k, f.procFs().cpu()));
            case MEMINFO -> ProcFile.bytes(meminfo(k));
            case SYS_STAT -> ProcFile.bytes(systemStat(t));
            case UPTIME -> ProcFile.bytes(uptime(t));
            case LOADAVG -> ProcFile.bytes(loadavg(t));
            case VERSION -> ProcFile.bytes("Linux version " + k.release() + " (jvisor@jvisor) (jvisor) #1 SMP jvisor\n");
            case FILESYSTEMS -> ProcFile.bytes("nodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\toverlay\n"
                    + "nodev\tpipefs\n");
            case HOSTNAME -> ProcFile.bytes(k.hostname() + "\n");
            case OSRELEASE -> ProcFile.bytes(k.release() + "\n");
            case KERNEL_VERSION -> ProcFile.bytes("#1 SMP jvisor\n");
            case BOOT_ID -> ProcFile.bytes(f.procFs().bootId() + "\n");
            case UUID -> ProcFile.bytes(java.util.UUID.randomUUID() + "\n");
            case TEXT -> ProcFile.bytes(f.text());
            case INOTIFY_WATCHES -> ProcFile.bytes(k.inotify().maxUserWatches() + "\n");
            default -> processFile(t, f);
        };
    }

    private static byte[] processFile(Task t, ProcFile f) {
        Task s = f.tid() == 0 ? ProcFs.groupTask(t, f.tgid()) : ProcFs.thread(t, f.tgid(), f.tid());
        if (s == null) {
            throw new SyscallException(Errno.ESRCH);
        }
        return switch (f.kind()) {
            case STATUS -> ProcFile.bytes(status(t, s, f.tid() != 0));
            case STAT -> ProcFile.bytes(stat(t, s, f.tid() != 0));
            case STATM -> ProcFile.bytes(statm(t, s));
            case MAPS -> ProcFile.bytes(maps(t, s));
            case MOUNTS -> ProcFile.bytes(mounts(t, s));
            case MOUNTINFO -> ProcFile.bytes(mountinfo(t, s));
            case CMDLINE -> cmdline(s);
            case ENVIRON -> memoryRange(s, s.threadGroup().envStart, s.threadGroup().envEnd);
            case COMM -> ProcFile.bytes((f.tid() != 0 ? comm(s) : comm(s.threadGroup())) + "\n");
            case AUXV -> auxv(s.threadGroup());
            case LIMITS -> ProcFile.bytes(limits(s.threadGroup().limits));
            case CGROUP -> ProcFile.bytes("0::/\n");
            case FDINFO -> ProcFile.bytes(fdinfo(t, s, f.fd()));
            default -> throw new SyscallException(Errno.EINVAL);
        };
    }

    // ---- per process ------------------------------------------------------------------------------

    /** A thread's own name (prctl PR_SET_NAME), else its process's. */
    static String comm(Task s) {
        return s.settings.comm != null ? s.settings.comm : comm(s.threadGroup());
    }

    /** The command name: what the loader recorded, else the executable's file name. */
    static String comm(ThreadGroup tg) {
        if (tg.comm != null) {
            return tg.comm;
        }
        String p = tg.exePath == null ? "" : tg.exePath;
        String name = p.substring(p.lastIndexOf('/') + 1);
        return name.length() > 15 ? name.substring(0, 15) : name;
    }

    /** Memory figures of an address space, in bytes. */
    private static final class MemUse {
        long size, rss, stack, exe, lib, data, startCode, endCode, startData, endData, locked;
    }

    /** A VMA's canonical name and file, resolving loader-given paths (memoised per generation). */
    private static final class Names {
        private final Task t;
        private final Location root;
        private final Map<String, Object[]> cache = new HashMap<>();

        Names(Task t) {
            this.t = t;
            this.root = t.fsContext().root;
        }

        /** {canonical name, Inode or null}. */
        Object[] of(Vma v) {
            String name = v.name == null ? "" : v.name;
            if (v.file != null) {
                return new Object[] {name, v.file};
            }
            if (!name.startsWith("/")) {
                return new Object[] {name, null};
            }
            return cache.computeIfAbsent(name, n -> {
                try {
                    Location l = PathResolver.resolve(t, root, n, true);
                    return new Object[] {PathResolver.pathOf(l, root), l.inode()};
                } catch (SyscallException e) {
                    return new Object[] {n, null};
                }
            });
        }

        Inode exe(String path) {
            if (path == null) {
                return null;
            }
            try {
                return PathResolver.resolve(t, root, path, true).inode();
            } catch (SyscallException e) {
                return null;
            }
        }
    }

    private static MemUse memUse(Task t, Task s) {
        MemUse u = new MemUse();
        MemoryManager mm = s.mm();
        Names names = new Names(t);
        Inode exe = names.exe(s.threadGroup().exePath);
        for (Vma v : mm.vmas()) {
            long len = v.length();
            u.size += len;
            if ((v.flags & Vma.VM_LOCKED) != 0) {
                u.locked += len;
            }
            Inode file = (Inode) names.of(v)[1];
            boolean ofExe = exe != null && file == exe;
            if ("[stack]".equals(v.name)) {
                u.stack += len;
            } else if ((v.prot & PROT_EXEC) != 0 && ofExe) {
                u.exe += len;
                if (u.startCode == 0) {
                    u.startCode = v.start;
                }
                u.endCode = v.end;
            } else if ((v.prot & PROT_EXEC) != 0 && file != null) {
                u.lib += len;
            } else if ((v.prot & PROT_WRITE) != 0 && (v.flags & MemoryManager.MAP_SHARED) == 0) {
                u.data += len;
                if (ofExe && u.startData == 0) {
                    u.startData = v.start;
                    u.endData = v.end;
                }
            }
        }
        u.rss = mm.populatedBytes();
        return u;
    }

    private static String kb(String name, long bytes) {
        return String.format("%-16s%8d kB\n", name + ":", bytes / 1024);
    }

    /** A /proc/PID/status memory line: "VmRSS:\t    1640 kB". */
    private static String vm(String name, long bytes) {
        return String.format("%s:\t%8d kB\n", name, bytes / 1024);
    }

    private static long sigMask(long[] handler, boolean ignored) {
        long m = 0;
        for (int sig = 1; sig <= 64 && sig < handler.length; sig++) {
            long h = handler[sig];
            boolean match = ignored ? h == SignalActions.SIG_IGN : h != SignalActions.SIG_IGN && h != SignalActions.SIG_DFL;
            if (match) {
                m |= 1L << (sig - 1);
            }
        }
        return m;
    }

    private static int cpus() {
        return Math.max(1, Math.min(64, Runtime.getRuntime().availableProcessors()));
    }

    private static String state(Task caller, Task s) {
        if (s == caller) {
            return "R (running)";
        }
        return s.threadGroup().isStopped() ? "T (stopped)" : "S (sleeping)";
    }

    private static String status(Task t, Task s, boolean thread) {
        ThreadGroup tg = s.threadGroup();
        var c = tg.creds;
        int pid = thread ? s.tid : tg.tgid;
        MemUse u = memUse(t, s);
        int threads = ProcFs.threads(t, tg.tgid).size();
        Map<Integer, FileDescription> fds = s.fds().snapshot();
        int maxFd = fds.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        int fdSize = Math.max(64, (maxFd + 63) / 64 * 64);
        StringBuilder sb = new StringBuilder();
        sb.append("Name:\t").append(thread ? comm(s) : comm(tg)).append('\n');
        sb.append(String.format("Umask:\t%04o\n", s.fsContext().umask));
        sb.append("State:\t").append(state(t, s)).append('\n');
        sb.append("Tgid:\t").append(tg.tgid).append('\n');
        sb.append("Ngid:\t0\n");
        sb.append("Pid:\t").append(pid).append('\n');
        sb.append("PPid:\t").append(tg.ppid()).append('\n');
        sb.append("TracerPid:\t0\n");
        sb.append("Uid:\t").append(Integer.toUnsignedString(c.uid)).append('\t').append(Integer.toUnsignedString(c.euid))
                .append('\t').append(Integer.toUnsignedString(c.suid)).append('\t')
                .append(Integer.toUnsignedString(c.fsuid)).append('\n');
        sb.append("Gid:\t").append(Integer.toUnsignedString(c.gid)).append('\t').append(Integer.toUnsignedString(c.egid))
                .append('\t').append(Integer.toUnsignedString(c.sgid)).append('\t')
                .append(Integer.toUnsignedString(c.fsgid)).append('\n');
        sb.append("FDSize:\t").append(fdSize).append('\n');
        sb.append("Groups:\t");
        for (int i = 0; i < c.groups.length; i++) {
            sb.append(i == 0 ? "" : " ").append(Integer.toUnsignedString(c.groups[i]));
        }
        sb.append(" \n"); // Linux ends the list with a space, even an empty one
        sb.append("NStgid:\t").append(tg.tgid).append('\n');
        sb.append("NSpid:\t").append(pid).append('\n');
        sb.append("NSpgid:\t").append(tg.pgid).append('\n');
        sb.append("NSsid:\t").append(tg.sid).append('\n');
        sb.append(vm("VmPeak", u.size)).append(vm("VmSize", u.size)).append(vm("VmLck", u.locked)).append(vm("VmPin", 0));
        sb.append(vm("VmHWM", u.rss)).append(vm("VmRSS", u.rss)).append(vm("RssAnon", u.rss)).append(vm("RssFile", 0));
        sb.append(vm("RssShmem", 0)).append(vm("VmData", u.data)).append(vm("VmStk", u.stack)).append(vm("VmExe", u.exe));
        sb.append(vm("VmLib", u.lib)).append(vm("VmPTE", 0)).append(vm("VmSwap", 0)).append(vm("HugetlbPages", 0));
        sb.append("CoreDumping:\t0\n");
        sb.append("THP_enabled:\t1\n");
        sb.append("Threads:\t").append(threads).append('\n');
        sb.append("SigQ:\t0/").append(limitValue(tg.limits.soft[11])).append('\n');
        sb.append(String.format("SigPnd:\t%016x\n", s.pending.mask()));
        sb.append(String.format("ShdPnd:\t%016x\n", tg.sharedPending.mask()));
        sb.append(String.format("SigBlk:\t%016x\n", s.signalMask));
        sb.append(String.format("SigIgn:\t%016x\n", sigMask(tg.signalActions.handler, true)));
        sb.append(String.format("SigCgt:\t%016x\n", sigMask(tg.signalActions.handler, false)));
        sb.append(String.format("CapInh:\t%016x\n", c.capInheritable));
        sb.append(String.format("CapPrm:\t%016x\n", c.capPermitted));
        sb.append(String.format("CapEff:\t%016x\n", c.capEffective));
        sb.append(String.format("CapBnd:\t%016x\n", c.capBounding));
        sb.append(String.format("CapAmb:\t%016x\n", c.capAmbient));
        sb.append("NoNewPrivs:\t").append(s.settings.noNewPrivs ? 1 : 0).append('\n');
        sb.append("Seccomp:\t0\n");
        sb.append("Seccomp_filters:\t0\n");
        sb.append("Speculation_Store_Bypass:\tthread vulnerable\n");
        sb.append("SpeculationIndirectBranch:\tconditional enabled\n");
        sb.append("Cpus_allowed:\t").append(dev.jvisor.kernel.CpuSet.hex(s)).append('\n');
        sb.append("Cpus_allowed_list:\t").append(dev.jvisor.kernel.CpuSet.list(s)).append('\n');
        sb.append("Mems_allowed:\t00000001\n");
        sb.append("Mems_allowed_list:\t0\n");
        sb.append("voluntary_ctxt_switches:\t0\n");
        sb.append("nonvoluntary_ctxt_switches:\t0\n");
        return sb.toString();
    }

    private static String limitValue(long v) {
        return v == Limits.INFINITY ? "unlimited" : Long.toUnsignedString(v);
    }

    /** CPU time of a task (its process, or the thread alone), 0 if the platform cannot tell. */
    private static long cpuNanos(Task s, boolean wholeProcess) {
        try {
            Context c = s.context();
            return c == null ? 0 : c.cpuTimeNanos(wholeProcess);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String stat(Task t, Task s, boolean thread) {
        ThreadGroup tg = s.threadGroup();
        MemUse u = memUse(t, s);
        long rsslim = tg.limits.soft[5];
        StringBuilder sb = new StringBuilder();
        sb.append(thread ? s.tid : tg.tgid).append(" (").append(thread ? comm(s) : comm(tg)).append(") ");
        sb.append(state(t, s).charAt(0));
        long[] f = new long[49];
        // fields 4.. (index 0 = field 4)
        f[0] = tg.ppid();                           // ppid
        f[1] = tg.pgid;                             // pgrp
        f[2] = tg.sid;                              // session
        f[3] = 0;                                   // tty_nr
        f[4] = -1;                                  // tpgid
        f[5] = 0x400000;                            // flags: PF_RANDOMIZE
        f[10] = cpuNanos(s, !thread) / TICK_NS;     // utime
        dev.jvisor.kernel.TaskSettings ts = s.settings;
        boolean rt = ts.policy == dev.jvisor.kernel.TaskSettings.SCHED_FIFO || ts.policy == dev.jvisor.kernel.TaskSettings.SCHED_RR;
        f[14] = rt ? -1 - ts.rtPriority : 20 + ts.nice; // priority (task_prio)
        f[15] = ts.nice;                            // nice
        f[16] = ProcFs.threads(t, tg.tgid).size();  // num_threads
        f[18] = tg.startTimeNs / TICK_NS;           // starttime
        f[19] = u.size;                             // vsize
        f[20] = u.rss / MemoryManager.PAGE;         // rss
        f[21] = rsslim;                             // rsslim (unlimited = ~0)
        f[22] = u.startCode;
        f[23] = u.endCode;
        f[24] = tg.startStack;
        f[28] = s.signalMask;                       // blocked
        f[29] = sigMask(tg.signalActions.handler, true);
        f[30] = sigMask(tg.signalActions.handler, false);
        f[34] = 17;                                 // exit_signal: SIGCHLD
        f[36] = rt ? ts.rtPriority : 0;             // rt_priority
        f[37] = ts.policy;                          // policy
        f[41] = u.startData;
        f[42] = u.endData;
        f[43] = s.mm().brkStart();
        f[44] = tg.argStart;
        f[45] = tg.argEnd;
        f[46] = tg.envStart;
        f[47] = tg.envEnd;
        f[48] = 0;                                  // exit_code
        for (int i = 0; i < f.length; i++) {
            sb.append(' ');
            // tpgid is the only signed field; the rest print as unsigned (rsslim: 18446744073709551615).
            sb.append(i == 4 || i == 14 || i == 15 ? Long.toString(f[i]) : Long.toUnsignedString(f[i]));
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String statm(Task t, Task s) {
        MemUse u = memUse(t, s);
        long p = MemoryManager.PAGE;
        return (u.size / p) + " " + (u.rss / p) + " 0 " + (u.exe / p) + " 0 " + ((u.data + u.stack) / p) + " 0\n";
    }

    /** Linux's new_encode_dev split: major:minor of a device number. */
    static long major(long dev) {
        return (dev >>> 8) & 0xfff;
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & 0xfff00);
    }

    private static String maps(Task t, Task s) {
        StringBuilder sb = new StringBuilder();
        // Loader-mapped segments are named by the path given to execve; show the canonical path and
        // the file's device and inode, as Linux does.
        Names names = new Names(t);
        for (Vma v : s.mm().vmas()) {
            Object[] id = names.of(v);
            String name = (String) id[0];
            long dev = 0, ino = 0, off = v.file != null ? v.fileOffset : 0;
            if (id[1] instanceof Inode i) {
                dev = i.fs().dev();
                ino = i.ino();
            }
            int start = sb.length();
            sb.append(String.format("%08x-%08x %c%c%c%c %08x %02x:%02x %d ", v.start, v.end,
                    (v.prot & PROT_READ) != 0 ? 'r' : '-', (v.prot & PROT_WRITE) != 0 ? 'w' : '-',
                    (v.prot & PROT_EXEC) != 0 ? 'x' : '-', (v.flags & MemoryManager.MAP_SHARED) != 0 ? 's' : 'p',
                    off, major(dev), minor(dev), ino));
            if (!name.isEmpty()) {
                while (sb.length() - start < 72) {
                    sb.append(' ');
                }
                sb.append(' ').append(name);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Mount ids: the position in the namespace's list, from 1. */
    private static int mountId(List<Mount> all, Mount m) {
        int i = all.indexOf(m);
        return i < 0 ? 0 : i + 1;
    }

    /** Escapes what would break the space-separated format (as Linux's mangle does). */
    private static String mangle(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case ' ' -> sb.append("\\040");
                case '\t' -> sb.append("\\011");
                case '\n' -> sb.append("\\012");
                case '\\' -> sb.append("\\134");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String mountPoint(Mount m, Location root) {
        if (m.parent == null) {
            return "/";
        }
        return PathResolver.pathOf(new Location(m.parent, m.mountpoint), root);
    }

    private static String mounts(Task t, Task s) {
        StringBuilder sb = new StringBuilder();
        Location root = s.fsContext().root;
        for (Mount m : t.kernel.mounts().mounts()) {
            sb.append(mangle(m.source == null ? "none" : m.source)).append(' ').append(mangle(mountPoint(m, root)))
                    .append(' ').append(m.fs.type()).append(' ').append(m.readOnly ? "ro" : "rw")
                    .append(",relatime 0 0\n");
        }
        return sb.toString();
    }

    private static String mountinfo(Task t, Task s) {
        StringBuilder sb = new StringBuilder();
        Location root = s.fsContext().root;
        List<Mount> all = t.kernel.mounts().mounts();
        for (Mount m : all) {
            int id = mountId(all, m);
            int parent = m.parent == null ? id : mountId(all, m.parent);
            long dev = m.fs.dev();
            String opt = m.readOnly ? "ro" : "rw";
            sb.append(id).append(' ').append(parent).append(' ').append(major(dev)).append(':').append(minor(dev))
                    .append(" / ").append(mangle(mountPoint(m, root))).append(' ').append(opt).append(",relatime - ")
                    .append(m.fs.type()).append(' ').append(mangle(m.source == null ? "none" : m.source)).append(' ')
                    .append(opt).append('\n');
        }
        return sb.toString();
    }

    /** Bytes of app memory in [start, end), or empty if not recorded or unreadable. */
    private static byte[] memoryRange(Task s, long start, long end) {
        if (start == 0 || end <= start || end - start > (1 << 24)) {
            return new byte[0];
        }
        try {
            return s.mm().read(start, (int) (end - start));
        } catch (SyscallException e) {
            return new byte[0];
        }
    }

    private static byte[] cmdline(Task s) {
        ThreadGroup tg = s.threadGroup();
        byte[] b = memoryRange(s, tg.argStart, tg.argEnd);
        if (b.length > 0 || tg.argv == null) {
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String a : tg.argv) {
            out.writeBytes(ProcFile.bytes(a));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] auxv(ThreadGroup tg) {
        long[] a = tg.auxv == null ? new long[2] : tg.auxv;
        ByteBuffer b = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : a) {
            b.putLong(v);
        }
        return b.array();
    }

    private static String limits(Limits l) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units"));
        for (int i = 0; i < LIMIT_NAMES.length && i < l.soft.length; i++) {
            sb.append(String.format("%-25s %-20s %-20s ", LIMIT_NAMES[i], limitValue(l.soft[i]), limitValue(l.hard[i])));
            if (LIMIT_UNITS[i] != null) {
                sb.append(String.format("%-10s", LIMIT_UNITS[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String fdinfo(Task t, Task s, int fd) {
        FileDescription f = s.fds().snapshot().get(fd);
        if (f == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        long pos = 0;
        if (f instanceof InodeFileDescription i) {
            pos = i.offset();
        } else if (f instanceof ProcFileDescription p) {
            pos = p.offset();
        } else if (f instanceof DirectoryDescription d) {
            pos = d.seek(t, 0, 1);
        }
        // Status flags only (open-time flags are not kept), close-on-exec from the fd table.
        int flags = f.flags() & ~(FileMode.O_CREAT | FileMode.O_EXCL | FileMode.O_NOCTTY | FileMode.O_TRUNC
                | FileMode.O_CLOEXEC);
        if (f.location() != null && !(f instanceof PipeFileDescription)) {
            flags |= FileMode.O_LARGEFILE; // what open(2) adds on 64-bit
        }
        boolean cloexec;
        try {
            cloexec = s.fds().closeOnExec(fd);
        } catch (SyscallException e) {
            cloexec = false;
        }
        if (cloexec) {
            flags |= FileMode.O_CLOEXEC;
        }
        int mnt = 0;
        if (f.location() != null) {
            mnt = mountId(t.kernel.mounts().mounts(), f.location().mount);
        }
        long ino;
        try {
            ino = ByteBuffer.wrap(f.stat(t)).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
        } catch (SyscallException e) {
            ino = 0;
        }
        return "pos:\t" + pos + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t" + mnt + "\nino:\t" + ino
                + "\n" + f.fdinfo(t);
    }

    // ---- system-wide ------------------------------------------------------------------------------

    private static String cpuinfo(Kernel k, CpuIdentity cpu) {
        Map<String, String> words = k.cpuFeatures();
        String vendor = words.getOrDefault("vendor", cpu.vendor);
        String flags = CpuFlags.flags(words);
        double mhz = mhz(cpu.brand);
        int n = cpus();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("processor\t: ").append(i).append('\n');
            sb.append("vendor_id\t: ").append(vendor).append('\n');
            sb.append("cpu family\t: ").append(cpu.family).append('\n');
            sb.append("model\t\t: ").append(cpu.model).append('\n');
            sb.append("model name\t: ").append(cpu.brand).append('\n');
            sb.append("stepping\t: ").append(cpu.stepping).append('\n');
            if (mhz > 0) {
                sb.append(String.format(Locale.ROOT, "cpu MHz\t\t: %.3f\n", mhz));
            }
            sb.append("physical id\t: 0\n");
            sb.append("siblings\t: ").append(n).append('\n');
            sb.append("core id\t\t: ").append(i).append('\n');
            sb.append("cpu cores\t: ").append(n).append('\n');
            sb.append("apicid\t\t: ").append(i).append('\n');
            sb.append("initial apicid\t: ").append(i).append('\n');
            sb.append("fpu\t\t: yes\n");
            sb.append("fpu_exception\t: yes\n");
            sb.append("cpuid level\t: ").append(cpu.cpuidLevel).append('\n');
            sb.append("wp\t\t: yes\n");
            sb.append("flags\t\t: ").append(flags).append('\n');
            sb.append("bugs\t\t:\n");
            if (mhz > 0) {
                sb.append(String.format(Locale.ROOT, "bogomips\t: %.2f\n", mhz * 2));
            }
            sb.append("clflush size\t: ").append(cpu.clflushSize).append('\n');
            sb.append("cache_alignment\t: ").append(cpu.clflushSize).append('\n');
            sb.append("address sizes\t: ").append(cpu.physicalBits).append(" bits physical, ").append(cpu.virtualBits)
                    .append(" bits virtual\n");
            sb.append("power management:\n\n");
        }
        return sb.toString();
    }

    /** The nominal frequency in the brand string ("... @ 2.40GHz"), or 0. */
    private static double mhz(String brand) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([GM])Hz").matcher(brand);
        if (!m.find()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        return m.group(2).equals("G") ? v * 1000 : v;
    }

    private static String meminfo(Kernel k) {
        long total = k.memory().allocator().capacity();
        long used = k.memory().allocator().allocatedBytes();
        long free = Math.max(0, total - used);
        StringBuilder sb = new StringBuilder();
        sb.append(kb("MemTotal", total)).append(kb("MemFree", free)).append(kb("MemAvailable", free));
        sb.append(kb("Buffers", 0)).append(kb("Cached", 0)).append(kb("SwapCached", 0));
        sb.append(kb("Active", used)).append(kb("Inactive", 0)).append(kb("Active(anon)", used));
        sb.append(kb("Inactive(anon)", 0)).append(kb("Active(file)", 0)).append(kb("Inactive(file)", 0));
        sb.append(kb("Unevictable", 0)).append(kb("Mlocked", 0)).append(kb("SwapTotal", 0)).append(kb("SwapFree", 0));
        sb.append(kb("Zswap", 0)).append(kb("Zswapped", 0));
        sb.append(kb("Dirty", 0)).append(kb("Writeback", 0)).append(kb("AnonPages", used)).append(kb("Mapped", 0));
        sb.append(kb("Shmem", 0)).append(kb("KReclaimable", 0)).append(kb("Slab", 0)).append(kb("SReclaimable", 0));
        sb.append(kb("SUnreclaim", 0)).append(kb("KernelStack", 0)).append(kb("PageTables", 0));
        sb.append(kb("SecPageTables", 0)).append(kb("NFS_Unstable", 0)).append(kb("Bounce", 0));
        sb.append(kb("WritebackTmp", 0)).append(kb("CommitLimit", total)).append(kb("Committed_AS", used));
        sb.append(kb("VmallocTotal", 34359738367L * 1024)).append(kb("VmallocUsed", 0)).append(kb("VmallocChunk", 0));
        sb.append(kb("Percpu", 0)).append(kb("HardwareCorrupted", 0)).append(kb("AnonHugePages", 0));
        sb.append(kb("ShmemHugePages", 0)).append(kb("ShmemPmdMapped", 0)).append(kb("FileHugePages", 0));
        sb.append(kb("FilePmdMapped", 0));
        sb.append("HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\n");
        sb.append("HugePages_Surp:        0\n");
        sb.append(kb("Hugepagesize", 2048 * 1024)).append(kb("Hugetlb", 0));
        return sb.toString();
    }

    /** CPU time the sandbox's processes used, in ticks (what the platform can tell for the caller's). */
    private static long busyTicks(Task t) {
        return cpuNanos(t, true) / TICK_NS;
    }

    private static String systemStat(Task t) {
        Kernel k = t.kernel;
        int n = cpus();
        long up = k.clock().now() / TICK_NS;
        long user = busyTicks(t);
        long idle = Math.max(0, up * n - user);
        StringBuilder sb = new StringBuilder();
        sb.append("cpu  ").append(user).append(" 0 0 ").append(idle).append(" 0 0 0 0 0 0\n");
        for (int i = 0; i < n; i++) {
            long u = i == 0 ? Math.min(user, up) : 0;
            sb.append("cpu").append(i).append(' ').append(u).append(" 0 0 ").append(Math.max(0, up - u))
                    .append(" 0 0 0 0 0 0\n");
        }
        long bootSecs = (dev.jvisor.kernel.vfs.Clocks.realtimeNanos() - k.clock().now()) / 1_000_000_000L;
        List<Task> all = k.tasks();
        int lastPid = all.stream().mapToInt(x -> x.tid).max().orElse(0);
        sb.append("intr 0\nctxt 0\n");
        sb.append("btime ").append(bootSecs).append('\n');
        sb.append("processes ").append(lastPid).append('\n');
        sb.append("procs_running 1\n");
        sb.append("procs_blocked 0\n");
        sb.append("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
        return sb.toString();
    }

    private static String uptime(Task t) {
        long now = t.kernel.clock().now();
        double up = now / 1e9;
        double idle = Math.max(0, up * cpus() - cpuNanos(t, true) / 1e9);
        return String.format(Locale.ROOT, "%.2f %.2f\n", up, idle);
    }

    private static String loadavg(Task t) {
        List<Task> all = t.kernel.tasks();
        int lastPid = all.stream().mapToInt(x -> x.tid).max().orElse(0);
        return "0.00 0.00 0.00 1/" + all.size() + " " + lastPid + "\n";
    }
}

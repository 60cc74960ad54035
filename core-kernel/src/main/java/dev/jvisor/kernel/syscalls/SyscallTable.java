package dev.jvisor.kernel.syscalls;

import static dev.jvisor.kernel.syscalls.Arg.*;
import static dev.jvisor.kernel.syscalls.Support.FULL;
import static dev.jvisor.kernel.syscalls.Support.PARTIAL;

import dev.jvisor.kernel.Errno;
import dev.jvisor.kernel.SyscallException;
import dev.jvisor.kernel.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The one table of the Sentry's syscalls: number, name, handler, support level and how strace shows
 * the arguments. It also prints `jvisor help syscalls`. A number not in the table returns ENOSYS and
 * is reported once by name.
 */
public final class SyscallTable {
    /** One row of the table. */
    public record Entry(int nr, String name, SyscallHandler handler, Support support, String note, Arg[] args) {}

    private final Entry[] entries = new Entry[SyscallNames.NAMES.length];

    public SyscallTable() {
        // files (stdio until the VFS arrives)
        add(0, SysFile::read, FULL, null, FD, BUF_OUT, INT);
        add(1, SysFile::write, FULL, null, FD, BUF_IN, INT);
        add(3, SysFile::close, FULL, null, FD);
        add(5, SysFile::fstat, FULL, null, FD, HEX);
        add(8, SysFile::lseek, FULL, null, FD, INT, INT);
        add(16, SysFile::ioctl, PARTIAL, "FIO* requests, terminal requests on host stdio", FD, HEX, HEX);
        add(17, SysFile::pread64, FULL, null, FD, BUF_OUT, INT, INT);
        add(19, SysFile::readv, FULL, null, FD, HEX, INT);
        add(20, SysFile::writev, FULL, null, FD, HEX, INT);
        add(32, SysFile::dup, FULL, null, FD);
        add(33, SysFile::dup2, FULL, null, FD, FD);
        add(72, SysFile::fcntl, FULL, null, FD, INT, HEX);
        add(18, SysFile::pwrite64, FULL, null, FD, BUF_IN, INT, INT);
        add(221, SysFile::fadvise64, FULL, null, FD, INT, INT, INT);
        add(295, SysFile::preadv, FULL, null, FD, HEX, INT, INT);
        add(296, SysFile::pwritev, FULL, null, FD, HEX, INT, INT);
        add(436, SysFile::closeRange, FULL, null, INT, INT, HEX);
        add(73, SysFile::flock, FULL, null, FD, HEX);
        add(319, SysMemfd::memfdCreate, PARTIAL, "no MFD_HUGETLB", STR, HEX);
        add(292, SysFile::dup3, FULL, null, FD, FD, HEX);
        // pipes and in-kernel copies
        add(22, SysPipe::pipe, FULL, null, HEX);
        add(293, SysPipe::pipe2, PARTIAL, "O_CLOEXEC, O_NONBLOCK; no O_DIRECT packet mode", HEX, HEX);
        add(40, SysPipe::sendfile, FULL, null, FD, FD, HEX, INT);
        add(275, SysSplice::splice, PARTIAL, "copies; between pipes, or a pipe and a file (regular files into a pipe)",
                FD, HEX, FD, HEX, INT, HEX);
        add(326, SysPipe::copyFileRange, PARTIAL, "regular files only", FD, HEX, FD, HEX, INT, HEX);
        add(74, SysPath::fsync, FULL, null, FD);
        add(75, SysPath::fsync, FULL, null, FD);
        add(306, SysPath::fsync, FULL, null, FD);
        add(162, SysPath::sync, FULL, null);
        add(285, SysPath::fallocate, PARTIAL, "modes 0 and KEEP_SIZE", FD, HEX, INT, INT);
        // paths
        add(2, SysPath::open, FULL, null, STR, HEX, OCT);
        add(257, SysPath::openat, FULL, null, FD, STR, HEX, OCT);
        add(437, SysPath::openat2, PARTIAL, "no RESOLVE_* restrictions", FD, STR, HEX, INT);
        add(85, SysPath::creat, FULL, null, STR, OCT);
        add(4, SysPath::stat, FULL, null, STR, HEX);
        add(6, SysPath::lstat, FULL, null, STR, HEX);
        add(262, SysPath::newfstatat, FULL, null, FD, STR, HEX, HEX);
        add(332, SysPath::statx, FULL, null, FD, STR, HEX, HEX, HEX);
        add(217, SysPath::getdents64, FULL, null, FD, HEX, INT);
        add(83, SysPath::mkdir, FULL, null, STR, OCT);
        add(258, SysPath::mkdirat, FULL, null, FD, STR, OCT);
        add(133, SysPath::mknod, FULL, null, STR, OCT, HEX);
        add(259, SysPath::mknodat, FULL, null, FD, STR, OCT, HEX);
        add(84, SysPath::rmdir, FULL, null, STR);
        add(87, SysPath::unlink, FULL, null, STR);
        add(263, SysPath::unlinkat, FULL, null, FD, STR, HEX);
        add(82, SysPath::rename, FULL, null, STR, STR);
        add(264, SysPath::renameat, FULL, null, FD, STR, FD, STR);
        add(316, SysPath::renameat2, FULL, null, FD, STR, FD, STR, HEX);
        add(86, SysPath::link, FULL, null, STR, STR);
        add(265, SysPath::linkat, FULL, null, FD, STR, FD, STR, HEX);
        add(88, SysPath::symlink, FULL, null, STR, STR);
        add(266, SysPath::symlinkat, FULL, null, STR, FD, STR);
        add(89, SysPath::readlink, FULL, null, STR, BUF_OUT, INT);
        add(267, SysPath::readlinkat, FULL, null, FD, STR, BUF_OUT, INT);
        add(90, SysPath::chmod, FULL, null, STR, OCT);
        add(91, SysPath::fchmod, FULL, null, FD, OCT);
        add(268, SysPath::fchmodat, FULL, null, FD, STR, OCT);
        add(92, SysPath::chown, FULL, null, STR, INT, INT);
        add(93, SysPath::fchown, FULL, null, FD, INT, INT);
        add(94, SysPath::lchown, FULL, null, STR, INT, INT);
        add(260, SysPath::fchownat, FULL, null, FD, STR, INT, INT, HEX);
        add(280, SysPath::utimensat, FULL, null, FD, STR, HEX, HEX);
        add(76, SysPath::truncate, FULL, null, STR, INT);
        add(77, SysPath::ftruncate, FULL, null, FD, INT);
        add(21, SysPath::access, FULL, null, STR, OCT);
        add(269, SysPath::faccessat, FULL, null, FD, STR, OCT);
        add(439, SysPath::faccessat2, FULL, null, FD, STR, OCT, HEX);
        add(137, SysPath::statfs, FULL, null, STR, HEX);
        add(138, SysPath::fstatfs, FULL, null, FD, HEX);
        add(80, SysPath::chdir, FULL, null, STR);
        add(81, SysPath::fchdir, FULL, null, FD);
        add(79, SysPath::getcwd, FULL, null, BUF_OUT, INT);
        add(95, SysPath::umask, FULL, null, OCT);
        // memory
        add(9, SysMemory::mmap, FULL, null, HEX, INT, HEX, HEX, FD, HEX);
        add(25, SysMemory::mremap, FULL, null, HEX, INT, INT, HEX, HEX);
        add(26, SysMemory::msync, FULL, null, HEX, INT, HEX);
        add(27, SysMemory::mincore, FULL, null, HEX, INT, HEX);
        add(10, SysMemory::mprotect, FULL, null, HEX, INT, HEX);
        add(11, SysMemory::munmap, FULL, null, HEX, INT);
        add(12, SysMemory::brk, FULL, null, HEX);
        add(28, SysMemory::madvise, FULL, null, HEX, INT, INT);
        // process and identity
        add(39, SysProcess::getpid, FULL, null);
        add(60, SysProcess::exit, FULL, null, INT);
        add(63, SysInfo::uname, FULL, null, HEX);
        add(158, SysProcess::archPrctl, PARTIAL, "ARCH_SET/GET_FS and the CPUID controls", HEX, HEX);
        add(186, SysProcess::gettid, FULL, null);
        add(218, SysProcess::setTidAddress, FULL, null, HEX);
        add(231, SysProcess::exitGroup, FULL, null, INT);
        add(273, SysProcess::setRobustList, FULL, null, HEX, INT);
        add(334, SysProcess::rseq, PARTIAL, "returns ENOSYS, as a kernel without CONFIG_RSEQ does", HEX, INT, HEX, HEX);
        // signals
        add(13, SysSignal::rtSigaction, FULL, null, INT, HEX, HEX, INT);
        add(14, SysSignal::rtSigprocmask, FULL, null, INT, HEX, HEX, INT);
        add(62, SysSignal::kill, FULL, null, INT, INT);
        add(131, SysSignal::sigaltstack, FULL, null, HEX, HEX);
        add(200, SysSignal::tkill, FULL, null, INT, INT);
        add(234, SysSignal::tgkill, FULL, null, INT, INT, INT);
        add(15, SysSignal::rtSigreturn, FULL, null);
        add(127, SysSignal::rtSigpending, FULL, null, HEX, INT);
        add(128, SysSignal::rtSigtimedwait, FULL, null, HEX, HEX, HEX, INT);
        add(129, SysSignal::rtSigqueueinfo, FULL, null, INT, INT, HEX);
        add(130, SysSignal::rtSigsuspend, FULL, null, HEX, INT);
        add(297, SysSignal::rtTgsigqueueinfo, FULL, null, INT, INT, INT, HEX);
        add(34, SysSignal::pause, FULL, null);
        add(282, SysSignal::signalfd, FULL, null, FD, HEX, INT);
        add(289, SysSignal::signalfd4, FULL, null, FD, HEX, INT, HEX);
        // tasks: creation, images, waiting, the process tree
        add(56, SysClone::clone, PARTIAL, "no namespaces, no CLONE_PIDFD", HEX, HEX, HEX, HEX, HEX);
        add(435, SysClone::clone3, PARTIAL, "no namespaces, set_tid, cgroups or pidfds", HEX, INT);
        add(57, SysClone::fork, FULL, null);
        add(58, SysClone::vfork, FULL, null);
        add(59, SysClone::execve, FULL, null, STR, HEX, HEX);
        add(322, SysClone::execveat, FULL, null, FD, STR, HEX, HEX, HEX);
        add(61, SysWait::wait4, PARTIAL, "no per-child rusage", INT, HEX, HEX, HEX);
        add(247, SysWait::waitid, PARTIAL, "no P_PIDFD, no rusage", INT, INT, HEX, HEX, HEX);
        add(110, SysJobControl::getppid, FULL, null);
        add(109, SysJobControl::setpgid, FULL, null, INT, INT);
        add(121, SysJobControl::getpgid, FULL, null, INT);
        add(111, SysJobControl::getpgrp, FULL, null);
        add(112, SysJobControl::setsid, FULL, null);
        add(124, SysJobControl::getsid, FULL, null, INT);
        // time
        add(35, SysTime::nanosleep, FULL, null, HEX, HEX);
        add(96, SysTime::gettimeofday, FULL, null, HEX, HEX);
        add(201, SysTime::time, FULL, null, HEX);
        add(219, SysTime::restartSyscall, FULL, null);
        add(228, SysTime::clockGettime, FULL, null, INT, HEX);
        add(229, SysTime::clockGetres, FULL, null, INT, HEX);
        add(230, SysTime::clockNanosleep, FULL, null, INT, INT, HEX, HEX);
        // extended attributes: none stored
        add(188, SysXattr::byPath, FULL, null, STR, STR, HEX, INT, HEX);
        add(189, SysXattr::byLinkPath, FULL, null, STR, STR, HEX, INT, HEX);
        add(190, SysXattr::byFd, FULL, null, FD, STR, HEX, INT, HEX);
        add(191, SysXattr::byPath, FULL, null, STR, STR, HEX, INT);
        add(192, SysXattr::byLinkPath, FULL, null, STR, STR, HEX, INT);
        add(193, SysXattr::byFd, FULL, null, FD, STR, HEX, INT);
        add(194, SysXattr::byPath, FULL, null, STR, HEX, INT);
        add(195, SysXattr::byLinkPath, FULL, null, STR, HEX, INT);
        add(196, SysXattr::byFd, FULL, null, FD, HEX, INT);
        add(197, SysXattr::byPath, FULL, null, STR, STR);
        add(198, SysXattr::byLinkPath, FULL, null, STR, STR);
        add(199, SysXattr::byFd, FULL, null, FD, STR);
        // misc
        add(318, SysInfo::getrandom, FULL, null, HEX, INT, HEX);
        add(99, SysInfo::sysinfo, FULL, null, HEX);
        // waiting on many things: poll, select, epoll, eventfd, timerfd
        add(7, SysPoll::poll, FULL, null, HEX, INT, INT);
        add(271, SysPoll::ppoll, FULL, null, HEX, INT, HEX, HEX, INT);
        add(23, SysPoll::select, FULL, null, INT, HEX, HEX, HEX, HEX);
        add(270, SysPoll::pselect6, FULL, null, INT, HEX, HEX, HEX, HEX, HEX);
        add(213, SysEpoll::epollCreate, FULL, null, INT);
        add(291, SysEpoll::epollCreate1, FULL, null, HEX);
        add(233, SysEpoll::epollCtl, FULL, null, FD, INT, FD, HEX);
        add(232, SysEpoll::epollWait, FULL, null, FD, HEX, INT, INT);
        add(281, SysEpoll::epollPwait, FULL, null, FD, HEX, INT, INT, HEX, INT);
        add(441, SysEpoll::epollPwait2, FULL, null, FD, HEX, INT, HEX, HEX, INT);
        add(284, SysEventfd::eventfd, FULL, null, INT);
        add(290, SysEventfd::eventfd2, FULL, null, INT, HEX);
        add(283, SysTimerfd::timerfdCreate, PARTIAL, "TFD_TIMER_CANCEL_ON_SET accepted, never cancels", INT, HEX);
        add(286, SysTimerfd::timerfdSettime, PARTIAL, "TFD_TIMER_CANCEL_ON_SET accepted, never cancels", FD, HEX, HEX, HEX);
        add(287, SysTimerfd::timerfdGettime, FULL, null, FD, HEX);
        // futexes
        add(202, SysFutex::futex, PARTIAL, "PI locks without priority inheritance", HEX, HEX, INT, HEX, HEX, HEX);
        add(274, SysFutex::getRobustList, FULL, null, INT, HEX, HEX);
        add(449, SysFutex::futexWaitv, FULL, null, HEX, INT, HEX, HEX, INT);
        // identity, capabilities, limits, scheduling, prctl, resource usage
        add(102, SysIdentity::getuid, FULL, null);
        add(104, SysIdentity::getgid, FULL, null);
        add(107, SysIdentity::geteuid, FULL, null);
        add(108, SysIdentity::getegid, FULL, null);
        add(105, SysIdentity::setuid, FULL, null, INT);
        add(106, SysIdentity::setgid, FULL, null, INT);
        add(113, SysIdentity::setreuid, FULL, null, INT, INT);
        add(114, SysIdentity::setregid, FULL, null, INT, INT);
        add(115, SysIdentity::getgroups, FULL, null, INT, HEX);
        add(116, SysIdentity::setgroups, FULL, null, INT, HEX);
        add(117, SysIdentity::setresuid, FULL, null, INT, INT, INT);
        add(118, SysIdentity::getresuid, FULL, null, HEX, HEX, HEX);
        add(119, SysIdentity::setresgid, FULL, null, INT, INT, INT);
        add(120, SysIdentity::getresgid, FULL, null, HEX, HEX, HEX);
        add(122, SysIdentity::setfsuid, FULL, null, INT);
        add(123, SysIdentity::setfsgid, FULL, null, INT);
        add(125, SysCapability::capget, FULL, null, HEX, HEX);
        add(126, SysCapability::capset, FULL, null, HEX, HEX);
        add(97, SysLimits::getrlimit, FULL, null, INT, HEX);
        add(160, SysLimits::setrlimit, FULL, null, INT, HEX);
        add(302, SysLimits::prlimit64, FULL, null, INT, INT, HEX, HEX);
        add(24, SysSched::schedYield, FULL, null);
        add(140, SysSched::getpriority, FULL, null, INT, INT);
        add(141, SysSched::setpriority, FULL, null, INT, INT, INT);
        add(142, SysSched::schedSetparam, PARTIAL, "recorded; the host schedules", INT, HEX);
        add(143, SysSched::schedGetparam, FULL, null, INT, HEX);
        add(144, SysSched::schedSetscheduler, PARTIAL, "recorded; the host schedules; no SCHED_DEADLINE", INT, INT, HEX);
        add(145, SysSched::schedGetscheduler, FULL, null, INT);
        add(146, SysSched::schedGetPriorityMax, FULL, null, INT);
        add(147, SysSched::schedGetPriorityMin, FULL, null, INT);
        add(148, SysSched::schedRrGetInterval, FULL, null, INT, HEX);
        add(203, SysSched::schedSetaffinity, PARTIAL, "recorded; the host schedules", INT, INT, HEX);
        add(204, SysSched::schedGetaffinity, FULL, null, INT, INT, HEX);
        add(309, SysSched::getcpu, FULL, null, HEX, HEX, HEX);
        add(135, SysPrctl::personality, FULL, null, HEX);
        add(157, SysPrctl::prctl, PARTIAL, "names, dumpable, capabilities, securebits, no_new_privs, "
                + "pdeathsig, subreaper, timer slack, TID address, THP; others EINVAL", INT, HEX, HEX, HEX, HEX);
        add(100, SysResource::times, PARTIAL, "system time counted as 0", HEX);
        add(98, SysResource::getrusage, PARTIAL, "CPU time and maxrss; system time and fault counts 0", INT, HEX);
        // timers: itimers and POSIX timers (SysTimer, ProcessTimers, TimerService)
        add(37, SysTimer::alarm, FULL, null, INT);
        add(36, SysTimer::getitimer, FULL, null, INT, HEX);
        add(38, SysTimer::setitimer, PARTIAL, "ITIMER_VIRTUAL counts user+system CPU time like ITIMER_PROF;"
                + " CPU timers checked every 10 ms", INT, HEX, HEX);
        add(222, SysTimer::timerCreate, PARTIAL, "no CPU-time clocks (EINVAL); alarm clocks EOPNOTSUPP",
                INT, HEX, HEX);
        add(223, SysTimer::timerSettime, FULL, null, INT, HEX, HEX, HEX);
        add(224, SysTimer::timerGettime, FULL, null, INT, HEX);
        add(225, SysTimer::timerGetoverrun, FULL, null, INT);
        add(226, SysTimer::timerDelete, FULL, null, INT);
        // sockets: AF_UNIX and loopback AF_INET/AF_INET6 TCP and UDP in Sentry memory (net/)
        add(41, SysSocket::socket, PARTIAL, "AF_UNIX, AF_INET, AF_INET6 (loopback TCP, UDP); AF_NETLINK and AF_PACKET are EAFNOSUPPORT, raw EPROTONOSUPPORT",
                INT, HEX, INT);
        add(53, SysSocket::socketpair, FULL, null, INT, HEX, INT, HEX);
        add(49, SysSocket::bind, FULL, null, FD, HEX, INT);
        add(50, SysSocket::listen, FULL, null, FD, INT);
        add(43, SysSocket::accept, FULL, null, FD, HEX, HEX);
        add(288, SysSocket::accept4, FULL, null, FD, HEX, HEX, HEX);
        add(42, SysSocket::connect, PARTIAL, "loopback only: other destinations are ENETUNREACH", FD, HEX, INT);
        add(51, SysSocket::getsockname, FULL, null, FD, HEX, HEX);
        add(52, SysSocket::getpeername, FULL, null, FD, HEX, HEX);
        add(48, SysSocket::shutdown, FULL, null, FD, INT);
        add(54, SysSocket::setsockopt, PARTIAL, "SOL_SOCKET, IP, IPV6, TCP and UDP basics", FD, INT, INT, HEX, INT);
        add(55, SysSocket::getsockopt, PARTIAL, "SOL_SOCKET, IP, IPV6, TCP and UDP basics", FD, INT, INT, HEX, HEX);
        add(44, SysSocketMsg::sendto, PARTIAL, "no MSG_OOB", FD, BUF_IN, INT, HEX, HEX, INT);
        add(45, SysSocketMsg::recvfrom, PARTIAL, "no MSG_OOB or MSG_ERRQUEUE", FD, BUF_OUT, INT, HEX, HEX, HEX);
        add(46, SysSocketMsg::sendmsg, PARTIAL, "SCM_RIGHTS, SCM_CREDENTIALS; no MSG_OOB", FD, HEX, HEX);
        add(47, SysSocketMsg::recvmsg, PARTIAL, "SCM_RIGHTS, SCM_CREDENTIALS; no MSG_OOB or MSG_ERRQUEUE", FD, HEX, HEX);
        add(307, SysSocketMsg::sendmmsg, FULL, null, FD, HEX, INT, HEX);
        add(299, SysSocketMsg::recvmmsg, FULL, null, FD, HEX, INT, HEX, HEX);
        // more file syscalls: inotify, tee/vmsplice, old getdents and utimes, preadv2/pwritev2, readahead,
        // sync_file_range, mlock (SysInotify, SysSplice, SysMlock)
        add(253, SysInotify::inotifyInit, FULL, null);
        add(294, SysInotify::inotifyInit1, FULL, null, HEX);
        add(254, SysInotify::inotifyAddWatch, FULL, null, FD, STR, HEX);
        add(255, SysInotify::inotifyRmWatch, FULL, null, FD, INT);
        add(276, SysSplice::tee, FULL, null, FD, FD, INT, HEX);
        add(278, SysSplice::vmsplice, PARTIAL, "copies; SPLICE_F_GIFT ignored", FD, HEX, INT, HEX);
        add(78, SysPath::getdents, FULL, null, FD, HEX, INT);
        add(132, SysPath::utime, FULL, null, STR, HEX);
        add(235, SysPath::utimes, FULL, null, STR, HEX);
        add(261, SysPath::futimesat, FULL, null, FD, STR, HEX);
        add(327, SysFile::preadv2, FULL, null, FD, HEX, INT, INT, INT, HEX);
        add(328, SysFile::pwritev2, FULL, null, FD, HEX, INT, INT, INT, HEX);
        add(187, SysFile::readahead, FULL, null, FD, INT, INT);
        add(277, SysFile::syncFileRange, FULL, null, FD, INT, INT, HEX);
        add(149, SysMlock::mlock, FULL, null, HEX, INT);
        add(150, SysMlock::munlock, FULL, null, HEX, INT);
        add(151, SysMlock::mlockall, FULL, null, HEX);
        add(152, SysMlock::munlockall, FULL, null);
        add(325, SysMlock::mlock2, FULL, null, HEX, INT, HEX);
    }

    private void add(int nr, SyscallHandler h, Support support, String note, Arg... args) {
        if (entries[nr] != null) {
            throw new IllegalStateException("syscall " + nr + " registered twice");
        }
        entries[nr] = new Entry(nr, SyscallNames.of(nr), h, support, note, args);
    }

    /** Runs one syscall; returns its result or a negated errno. */
    public long dispatch(Task t, SyscallArgs a) {
        long nr = a.nr;
        Entry e = nr >= 0 && nr < entries.length ? entries[(int) nr] : null;
        long r;
        if (e == null) {
            t.kernel.runtime().reportUnsupported(SyscallNames.of(nr));
            r = -Errno.ENOSYS;
        } else {
            try {
                r = e.handler.call(t, a);
            } catch (SyscallException x) {
                r = -x.errno;
            }
        }
        if (t.kernel.runtime().straceEnabled()) {
            t.kernel.runtime().strace(Strace.format(t, e, a, r));
        }
        return r;
    }

    /** Every x86-64 syscall with its support level, for `jvisor help syscalls` and the README. */
    public List<String> coverageReport() {
        List<String> lines = new ArrayList<>();
        int full = 0, partial = 0, total = 0;
        for (int nr = 0; nr < SyscallNames.NAMES.length; nr++) {
            if (SyscallNames.NAMES[nr] == null) {
                continue;
            }
            total++;
            Entry e = entries[nr];
            String level;
            if (e == null) {
                level = "ENOSYS";
            } else if (e.support == FULL) {
                level = "supported";
                full++;
            } else {
                level = "partial: " + e.note;
                partial++;
            }
            lines.add(String.format("%3d %-24s %s", nr, SyscallNames.NAMES[nr], level));
        }
        lines.add(0, String.format("%d of %d x86-64 syscalls implemented (%d fully, %d partially)",
                full + partial, total, full, partial));
        return lines;
    }
}

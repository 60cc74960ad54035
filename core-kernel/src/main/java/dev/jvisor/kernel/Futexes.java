package dev.jvisor.kernel;

import dev.jvisor.kernel.futex.Deadline;
import dev.jvisor.kernel.futex.FutexKey;
import dev.jvisor.kernel.futex.FutexWord;
import dev.jvisor.kernel.futex.RobustList;
import dev.jvisor.kernel.futex.WakeOp;
import dev.jvisor.kernel.mm.MemoryManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's futex wait queues and the futex operations on them, with Linux's semantics
 * (kernel/futex/*.c): wait and wake with bitsets, requeue, wake-op, priority-inheritance locks
 * (without the priority inheritance: waiters get a lock in FIFO order), requeue-PI, waiting on a
 * vector, and the robust-list cleanup of an exiting thread.
 *
 * <p>Host-side state only: a task waiting on a futex is inside a syscall, which a checkpoint
 * interrupts and restarts, so no queue is ever saved. One monitor ({@code this}) guards every queue
 * and every read-modify-write of a futex word the kernel makes, which is what makes the
 * check-then-queue of a wait atomic with respect to wakers, and FUTEX_WAKE_OP's write atomic with
 * respect to other futex operations; the word updates themselves are hardware atomics, because app
 * threads change the same words natively.
 *
 * <p>Waiting follows the discipline of {@link dev.jvisor.kernel.vfs.WaitQueue}: the waiter holds
 * its task's monitor while it checks (under {@code this}) whether it was woken, then waits on the
 * task's monitor; a waker dequeues the waiter under {@code this}, releases it, and only then
 * notifies the task. So no wake-up is lost, none costs a polling delay, and the two monitors are
 * never taken in the opposite order. Callers hold no task's monitor.
 */
public final class Futexes {
    public static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
    public static final int BITSET_MATCH_ANY = -1;
    /** Longest single wait: a safety net (and how often a realtime deadline is re-read). */
    private static final long SLICE_NANOS = 1_000_000_000L;

    private enum Outcome { WOKEN, TIMEDOUT, INTERRUPTED }

    /** One task queued on one futex (a futex_waitv call queues one per futex). */
    private static final class Waiter {
        final Task task;
        /** The queue it is on; requeue operations move it. */
        FutexKey key;
        final int bitset;
        /** Still on a queue; a waker clears it when it wakes (or hands a PI lock to) the waiter. */
        boolean queued = true;
        /** For FUTEX_WAIT_REQUEUE_PI: the PI futex it expects to be requeued to (Linux's rt_waiter). */
        final FutexKey requeuePiKey;
        /** Where the PI futex this waiter waits for lies in its own address space. */
        long piAddr;
        /** Blocked on a PI futex (LOCK_PI, or after CMP_REQUEUE_PI): its state (Linux's pi_state). */
        PiState pi;
        /** A PI waiter that was handed the lock. */
        boolean acquired;

        Waiter(Task task, FutexKey key, int bitset, FutexKey requeuePiKey) {
            this.task = task;
            this.key = key;
            this.bitset = bitset;
            this.requeuePiKey = requeuePiKey;
        }
    }

    /** A contended PI futex: who owns it. It lives while tasks wait for it. */
    private static final class PiState {
        Task owner;

        PiState(Task owner) {
            this.owner = owner;
        }
    }

    private final Map<FutexKey, List<Waiter>> queues = new HashMap<>();
    private final Map<FutexKey, PiState> piStates = new HashMap<>();

    // ---- FUTEX_WAIT, FUTEX_WAKE ----------------------------------------------------------------------

    /**
     * FUTEX_WAIT / FUTEX_WAIT_BITSET: if the word at {@code addr} holds {@code val}, sleeps until woken
     * or {@code deadline}. Returns 0 when woken, -EAGAIN if the value differed, -ETIMEDOUT, or
     * -ERESTARTSYS if the task was interrupted (checkpoint, signal, exit).
     */
    public long wait(Task t, long addr, boolean shared, int val, int bitset, Deadline deadline) {
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        FutexKey key = FutexKey.of(t.mm(), addr, shared, false);
        Waiter w = new Waiter(t, key, bitset, null);
        synchronized (this) {
            if (FutexWord.read(t.mm(), addr) != val) {
                return -Errno.EAGAIN;
            }
            enqueue(w);
        }
        Outcome o = sleep(t, List.of(w), deadline);
        synchronized (this) {
            if (!w.queued) {
                return 0;
            }
            dequeue(w);
        }
        return o == Outcome.TIMEDOUT ? -Errno.ETIMEDOUT : -Errno.ERESTARTSYS;
    }

    /** FUTEX_WAKE / FUTEX_WAKE_BITSET: wakes up to {@code n} waiters (at least one) whose bitset matches. */
    public long wake(Task t, long addr, boolean shared, int n, int bitset) {
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        return wake(FutexKey.of(t.mm(), addr, shared, false), n, bitset);
    }

    private long wake(FutexKey key, int n, int bitset) {
        List<Task> woken = new ArrayList<>();
        long r;
        synchronized (this) {
            r = wakeLocked(key, n, bitset, woken);
        }
        signal(woken);
        return r;
    }

    /** Linux's wake loop: EINVAL on a PI waiter; n <= 0 still wakes one. */
    private long wakeLocked(FutexKey key, int n, int bitset, List<Task> woken) {
        List<Waiter> q = queues.get(key);
        if (q == null) {
            return 0;
        }
        int count = 0;
        for (Waiter w : new ArrayList<>(q)) {
            if (w.pi != null || w.requeuePiKey != null) {
                return -Errno.EINVAL;
            }
            if ((w.bitset & bitset) == 0) {
                continue;
            }
            dequeue(w);
            woken.add(w.task);
            if (++count >= n) {
                break;
            }
        }
        return count;
    }

    /**
     * FUTEX_WAKE_OP: atomically applies {@code encodedOp}'s operation to the word at {@code addr2},
     * wakes up to {@code n1} waiters on {@code addr1}, and, if the old value of the word at
     * {@code addr2} passes the encoded comparison, up to {@code n2} waiters on {@code addr2}.
     */
    public long wakeOp(Task t, long addr1, long addr2, boolean shared, int n1, int n2, int encodedOp) {
        MemoryManager mm = t.mm();
        FutexKey key1 = FutexKey.of(mm, addr1, shared, false);
        FutexKey key2 = FutexKey.of(mm, addr2, shared, true);
        WakeOp op = WakeOp.decode(encodedOp);
        List<Task> woken = new ArrayList<>();
        long r;
        synchronized (this) {
            if (!op.validOp()) {
                return -Errno.ENOSYS;
            }
            int old = FutexWord.apply(mm, addr2, op.op(), op.oparg());
            // As in Linux, a bad comparison is found only after the write is done.
            int cmp = op.compare(old);
            if (cmp < 0) {
                return -Errno.ENOSYS;
            }
            r = wakeLocked(key1, n1, BITSET_MATCH_ANY, woken);
            if (r >= 0 && cmp > 0) {
                long r2 = wakeLocked(key2, n2, BITSET_MATCH_ANY, woken);
                r = r2 < 0 ? r2 : r + r2;
            }
        }
        signal(woken);
        return r;
    }

    /**
     * FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes up to {@code nWake} waiters on {@code addr1} and moves
     * up to {@code nRequeue} more to {@code addr2}; with {@code cmpval} non-null, only if the word at
     * {@code addr1} still holds it (else -EAGAIN). Returns how many were woken or moved.
     */
    public long requeue(Task t, long addr1, long addr2, boolean shared, int nWake, int nRequeue, Integer cmpval) {
        if (nWake < 0 || nRequeue < 0) {
            return -Errno.EINVAL;
        }
        MemoryManager mm = t.mm();
        FutexKey key1 = FutexKey.of(mm, addr1, shared, false);
        FutexKey key2 = FutexKey.of(mm, addr2, shared, false);
        List<Task> woken = new ArrayList<>();
        long r;
        synchronized (this) {
            if (cmpval != null && FutexWord.read(mm, addr1) != cmpval) {
                return -Errno.EAGAIN;
            }
            r = 0;
            int count = 0;
            for (Waiter w : snapshot(key1)) {
                if (count - nWake >= nRequeue) {
                    break;
                }
                if (w.requeuePiKey != null || w.pi != null) {
                    r = -Errno.EINVAL;
                    break;
                }
                if (++count <= nWake) {
                    dequeue(w);
                    woken.add(w.task);
                } else {
                    move(w, key2);
                }
            }
            if (r == 0) {
                r = count;
            }
        }
        signal(woken);
        return r;
    }

    // ---- futex_waitv ---------------------------------------------------------------------------------

    /**
     * futex_waitv(2) after its arguments are parsed: waits until one of the futexes is woken. Returns
     * the index of a woken futex, -EAGAIN if a word did not hold its value, -ETIMEDOUT, or
     * -ERESTARTSYS if interrupted.
     */
    public long waitv(Task t, long[] addrs, int[] vals, boolean[] shared, Deadline deadline) {
        MemoryManager mm = t.mm();
        List<Waiter> ws = new ArrayList<>(addrs.length);
        for (int i = 0; i < addrs.length; i++) {
            ws.add(new Waiter(t, FutexKey.of(mm, addrs[i], shared[i], false), BITSET_MATCH_ANY, null));
        }
        synchronized (this) {
            for (int i = 0; i < addrs.length; i++) {
                int cur;
                try {
                    cur = FutexWord.read(mm, addrs[i]);
                } catch (SyscallException e) {
                    ws.subList(0, i).forEach(this::dequeue);
                    throw e;
                }
                if (cur != vals[i]) {
                    ws.subList(0, i).forEach(this::dequeue);
                    return -Errno.EAGAIN;
                }
                enqueue(ws.get(i));
            }
        }
        Outcome o = sleep(t, ws, deadline);
        synchronized (this) {
            int woken = -1;
            for (int i = 0; i < ws.size(); i++) {
                Waiter w = ws.get(i);
                if (w.queued) {
                    dequeue(w);
                } else {
                    woken = i;
                }
            }
            if (woken >= 0) {
                return woken;
            }
        }
        return o == Outcome.TIMEDOUT ? -Errno.ETIMEDOUT : -Errno.ERESTARTSYS;
    }

    // ---- PI futexes ----------------------------------------------------------------------------------

    /**
     * FUTEX_LOCK_PI / FUTEX_LOCK_PI2 / FUTEX_TRYLOCK_PI: takes the PI lock at {@code addr} (the word
     * holds the owner's TID, FUTEX_WAITERS when tasks wait, FUTEX_OWNER_DIED after a robust owner
     * died). Returns 0 with the lock, -EDEADLK if the caller owns it, -ESRCH if the owner TID names
     * no task, -EAGAIN for a trylock that would block, -ETIMEDOUT, or -ERESTARTNOINTR if interrupted.
     */
    public long lockPi(Task t, long addr, boolean shared, Deadline deadline, boolean trylock) {
        MemoryManager mm = t.mm();
        FutexKey key = FutexKey.of(mm, addr, shared, true);
        Waiter w = new Waiter(t, key, BITSET_MATCH_ANY, null);
        w.piAddr = addr;
        synchronized (this) {
            while (true) {
                int r = lockPiAtomic(mm, addr, key, t, false, trylock);
                if (r == -Errno.EAGAIN) {
                    continue; // the word changed under us: look again
                }
                if (r == 1) {
                    return 0;
                }
                if (r < 0) {
                    return r;
                }
                if (trylock) {
                    return -Errno.EAGAIN;
                }
                w.pi = piStates.get(key);
                enqueue(w);
                break;
            }
        }
        Outcome o = sleep(t, List.of(w), deadline);
        synchronized (this) {
            if (w.acquired) {
                return 0;
            }
            dequeue(w);
        }
        return o == Outcome.TIMEDOUT ? -Errno.ETIMEDOUT : -Errno.ERESTARTNOINTR;
    }

    /**
     * Linux's futex_lock_pi_atomic for {@code task}: 1 when it took the lock, 0 when the lock is held
     * and {@code piStates} has the state to queue on, or a negated errno (-EAGAIN: the word changed,
     * try again). With {@code setWaiters}, a lock taken also gets FUTEX_WAITERS and a PI state (for
     * requeue-PI, which queues more waiters behind it). With {@code probe} (trylock) no state is kept.
     */
    private int lockPiAtomic(MemoryManager mm, long addr, FutexKey key, Task task, boolean setWaiters, boolean probe) {
        int uval = FutexWord.read(mm, addr);
        int tid = uval & FUTEX_TID_MASK;
        if (tid == task.tid) {
            return -Errno.EDEADLK;
        }
        List<Waiter> q = queues.get(key);
        if (q != null && !q.isEmpty()) {
            return attach(uval, q.get(0));
        }
        if (tid == 0) {
            // Free (a stale FUTEX_WAITERS or FUTEX_OWNER_DIED brought the caller here): take it.
            int newval = (uval & FUTEX_OWNER_DIED) | task.tid | (setWaiters ? FUTEX_WAITERS : 0);
            if (FutexWord.cmpxchg(mm, addr, uval, newval) != uval) {
                return -Errno.EAGAIN;
            }
            if (setWaiters) {
                piStates.put(key, new PiState(task));
            }
            return 1;
        }
        // First waiter: mark the word so the owner's unlock comes to the kernel, then find the owner.
        int newval = uval | FUTEX_WAITERS;
        if (FutexWord.cmpxchg(mm, addr, uval, newval) != uval) {
            return -Errno.EAGAIN;
        }
        Task owner = findTask(task.kernel, tid);
        if (owner == null || owner.exited()) {
            // Linux's handle_exit_race: gone owner, unless its exit just changed the word.
            return FutexWord.read(mm, addr) != newval ? -Errno.EAGAIN : -Errno.ESRCH;
        }
        if (!probe) {
            piStates.put(key, new PiState(owner));
        }
        return 0;
    }

    /** Linux's attach_to_pi_state: the queued waiters must be PI waiters of the owner in the word. */
    private static int attach(int uval, Waiter top) {
        PiState ps = top.pi;
        if (ps == null) {
            return -Errno.EINVAL; // a non-PI waiter on a PI futex
        }
        int tid = uval & FUTEX_TID_MASK;
        if ((uval & FUTEX_OWNER_DIED) != 0) {
            if (ps.owner == null) {
                return tid != 0 ? -Errno.EINVAL : 0;
            }
            if (tid == 0) {
                return 0;
            }
        } else if (ps.owner == null) {
            return -Errno.EINVAL;
        }
        return tid == ps.owner.tid ? 0 : -Errno.EINVAL;
    }

    /**
     * FUTEX_UNLOCK_PI: releases the caller's PI lock at {@code addr}, handing it to the first waiter
     * if there is one (the word then holds its TID and FUTEX_WAITERS). -EPERM if the caller does not
     * own it, -EINVAL if the queued state contradicts the word.
     */
    public long unlockPi(Task t, long addr, boolean shared) {
        MemoryManager mm = t.mm();
        while (true) {
            int uval = FutexWord.read(mm, addr);
            if ((uval & FUTEX_TID_MASK) != t.tid) {
                return -Errno.EPERM;
            }
            FutexKey key = FutexKey.of(mm, addr, shared, true);
            Task next;
            synchronized (this) {
                List<Waiter> q = queues.get(key);
                if (q == null || q.isEmpty()) {
                    // No waiters: drop the owner and any stale FUTEX_WAITERS / FUTEX_OWNER_DIED.
                    return FutexWord.cmpxchg(mm, addr, uval, 0) == uval ? 0 : -Errno.EAGAIN;
                }
                Waiter top = q.get(0);
                if (top.pi == null || top.pi.owner != t) {
                    return -Errno.EINVAL;
                }
                int newval = FUTEX_WAITERS | top.task.tid;
                int cur = FutexWord.cmpxchg(mm, addr, uval, newval);
                if (cur != uval) {
                    if ((cur & FUTEX_TID_MASK) == uval) {
                        continue; // a waiter set FUTEX_WAITERS meanwhile: start again
                    }
                    return -Errno.EINVAL;
                }
                grant(top);
                next = top.task;
            }
            signal(List.of(next));
            return 0;
        }
    }

    /** Hands a PI lock to a queued waiter (the word already names it). */
    private void grant(Waiter w) {
        w.pi.owner = w.task;
        w.acquired = true;
        dequeue(w);
    }

    /**
     * FUTEX_WAIT_REQUEUE_PI: waits on the plain futex {@code addr} (which must hold {@code val}) until
     * FUTEX_CMP_REQUEUE_PI moves the caller to the PI futex {@code addr2} and it gets that lock.
     * Returns 0 with the lock, -EAGAIN, -ETIMEDOUT, -EINVAL, or -ERESTARTNOINTR if interrupted before
     * the requeue (after it, an interruption gives -EAGAIN, as Linux does).
     */
    public long waitRequeuePi(Task t, long addr, long addr2, boolean shared, int val, Deadline deadline) {
        if (addr == addr2) {
            return -Errno.EINVAL;
        }
        MemoryManager mm = t.mm();
        FutexKey key2 = FutexKey.of(mm, addr2, shared, true);
        FutexKey key = FutexKey.of(mm, addr, shared, false);
        Waiter w = new Waiter(t, key, BITSET_MATCH_ANY, key2);
        w.piAddr = addr2;
        synchronized (this) {
            if (FutexWord.read(mm, addr) != val) {
                return -Errno.EAGAIN;
            }
            if (key.equals(key2)) {
                return -Errno.EINVAL;
            }
            enqueue(w);
        }
        Outcome o = sleep(t, List.of(w), deadline);
        boolean requeued;
        synchronized (this) {
            if (w.acquired) {
                return 0;
            }
            requeued = w.pi != null;
            dequeue(w);
        }
        if (o == Outcome.TIMEDOUT) {
            return -Errno.ETIMEDOUT;
        }
        return requeued ? -Errno.EAGAIN : -Errno.ERESTARTNOINTR;
    }

    /**
     * FUTEX_CMP_REQUEUE_PI: if the word at {@code addr1} holds {@code cmpval}, takes the PI futex at
     * {@code addr2} for the first FUTEX_WAIT_REQUEUE_PI waiter if it is free (waking it), and moves up
     * to {@code nRequeue} other waiters to wait for that lock. {@code nWake} must be 1. Returns how
     * many waiters were woken or moved.
     */
    public long cmpRequeuePi(Task t, long addr1, long addr2, boolean shared, int nWake, int nRequeue, int cmpval) {
        if (nWake < 0 || nRequeue < 0 || addr1 == addr2 || nWake != 1) {
            return -Errno.EINVAL;
        }
        MemoryManager mm = t.mm();
        FutexKey key1 = FutexKey.of(mm, addr1, shared, false);
        FutexKey key2 = FutexKey.of(mm, addr2, shared, true);
        if (key1.equals(key2)) {
            return -Errno.EINVAL;
        }
        List<Task> woken = new ArrayList<>();
        long r;
        synchronized (this) {
            while (true) {
                if (FutexWord.read(mm, addr1) != cmpval) {
                    return -Errno.EAGAIN;
                }
                FutexWord.read(mm, addr2);
                List<Waiter> q = snapshot(key1);
                if (q.isEmpty()) {
                    return 0;
                }
                Waiter top = q.get(0);
                if (top.requeuePiKey == null || top.pi != null || !top.requeuePiKey.equals(key2)) {
                    return -Errno.EINVAL;
                }
                int got = lockPiAtomic(mm, addr2, key2, top.task, nRequeue != 0, false);
                if (got == -Errno.EAGAIN) {
                    continue;
                }
                if (got < 0) {
                    return got;
                }
                PiState ps = piStates.get(key2);
                int count = 0;
                if (got == 1) {
                    // The top waiter owns the lock now: it returns at once.
                    dequeue(top);
                    top.acquired = true;
                    woken.add(top.task);
                    count++;
                }
                r = 0;
                for (Waiter w : q) {
                    if (count - nWake >= nRequeue) {
                        break;
                    }
                    if (w.acquired) {
                        continue;
                    }
                    if (w.requeuePiKey == null || w.pi != null || !w.requeuePiKey.equals(key2)) {
                        r = -Errno.EINVAL;
                        break;
                    }
                    move(w, key2);
                    w.pi = ps;
                    count++;
                }
                dropIdlePiState(key2);
                if (r == 0) {
                    r = count;
                }
                break;
            }
        }
        signal(woken);
        return r;
    }

    // ---- exit ----------------------------------------------------------------------------------------

    /**
     * The futex part of a thread's exit (Linux's futex_exit_release): walks the robust list the
     * thread registered with set_robust_list(2), marking every lock it still holds with
     * FUTEX_OWNER_DIED and waking one waiter of each, then hands every PI lock it owns and others
     * wait for to the first waiter (with FUTEX_OWNER_DIED). Call it on the exiting task's own thread,
     * before its address space goes away, holding no task's monitor.
     */
    public void exitRobustList(Task t) {
        exitRobustList(t, t.mm());
    }

    /**
     * {@link #exitRobustList(Task)} with the address space the list lives in given: execve(2) calls
     * it with the old image's space once the new one is committed (Linux's futex_exec_release).
     */
    public void exitRobustList(Task t, MemoryManager mm) {
        List<Task> woken = new ArrayList<>();
        synchronized (this) {
            long head = t.robustList;
            t.robustList = 0;
            if (head != 0) {
                RobustList.walk(mm, head, t.tid, uaddr -> {
                    // Linux wakes with a shared FUTEX_WAKE, as robust mutexes wait with one.
                    try {
                        wakeLocked(FutexKey.of(mm, uaddr, true, false), 1, BITSET_MATCH_ANY, woken);
                    } catch (SyscallException e) {
                        // No futex there to wake.
                    }
                });
            }
            for (Map.Entry<FutexKey, PiState> e : new ArrayList<>(piStates.entrySet())) {
                if (e.getValue().owner == t) {
                    handOffFromDead(e.getKey(), e.getValue(), woken);
                }
            }
        }
        signal(woken);
    }

    /** Linux's exit_pi_state_list: the first waiter takes the dead owner's PI lock, with OWNER_DIED. */
    private void handOffFromDead(FutexKey key, PiState ps, List<Task> woken) {
        ps.owner = null;
        List<Waiter> q = queues.get(key);
        if (q == null || q.isEmpty()) {
            piStates.remove(key);
            return;
        }
        Waiter top = q.get(0);
        MemoryManager mm = top.task.mm();
        try {
            int uval = FutexWord.read(mm, top.piAddr);
            while (true) {
                int newval = (uval & FUTEX_OWNER_DIED) | FUTEX_OWNER_DIED | FUTEX_WAITERS | top.task.tid;
                int cur = FutexWord.cmpxchg(mm, top.piAddr, uval, newval);
                if (cur == uval) {
                    break;
                }
                uval = cur;
            }
        } catch (SyscallException e) {
            // The word cannot be written: the waiter still gets the lock, the word stays as it was.
        }
        grant(top);
        woken.add(top.task);
    }

    /**
     * What Linux does for CLONE_CHILD_CLEARTID when a thread exits and others still share its
     * memory: writes 0 to the TID word at {@code addr} and wakes one waiter (a shared FUTEX_WAKE, as
     * pthread_join waits with). Errors are ignored, as in Linux.
     */
    public void wakeForClearChildTid(Task t, long addr) {
        try {
            t.mm().writeInt(addr, 0);
        } catch (SyscallException e) {
            // Linux ignores a bad pointer here.
        }
        try {
            wake(FutexKey.of(t.mm(), addr, true, false), 1, BITSET_MATCH_ANY);
        } catch (SyscallException e) {
            // Likewise.
        }
    }

    // ---- queues and sleeping -------------------------------------------------------------------------

    private void enqueue(Waiter w) {
        w.queued = true;
        queues.computeIfAbsent(w.key, k -> new ArrayList<>()).add(w);
    }

    private void dequeue(Waiter w) {
        if (!w.queued) {
            return;
        }
        w.queued = false;
        List<Waiter> q = queues.get(w.key);
        if (q != null) {
            q.remove(w);
            if (q.isEmpty()) {
                queues.remove(w.key);
            }
        }
        if (w.pi != null) {
            dropIdlePiState(w.key);
        }
    }

    /** A PI state lives only while tasks wait for its lock (Linux frees pi_state with its last waiter). */
    private void dropIdlePiState(FutexKey key) {
        if (!queues.containsKey(key)) {
            piStates.remove(key);
        }
    }

    private void move(Waiter w, FutexKey to) {
        dequeue(w);
        w.key = to;
        enqueue(w);
    }

    /** How many tasks wait on {@code key} (for tests). */
    synchronized int waiting(FutexKey key) {
        List<Waiter> q = queues.get(key);
        return q == null ? 0 : q.size();
    }

    private List<Waiter> snapshot(FutexKey key) {
        List<Waiter> q = queues.get(key);
        return q == null ? List.of() : new ArrayList<>(q);
    }

    private static Task findTask(Kernel k, int tid) {
        for (Task o : k.tasks()) {
            if (o.tid == tid) {
                return o;
            }
        }
        return null;
    }

    /**
     * Sleeps until one of {@code ws} is no longer queued (woken), the deadline passes, or the task is
     * interrupted. The caller then settles the outcome under the monitor: a waiter woken at the last
     * moment counts as woken whatever this returns.
     */
    private Outcome sleep(Task t, List<Waiter> ws, Deadline deadline) {
        MonotonicClock clock = t.kernel.clock();
        synchronized (t) {
            while (true) {
                synchronized (this) {
                    for (Waiter w : ws) {
                        if (!w.queued) {
                            return Outcome.WOKEN;
                        }
                    }
                }
                if (t.interrupted()) {
                    return Outcome.INTERRUPTED;
                }
                long left = deadline.remaining(clock);
                if (left <= 0) {
                    return Outcome.TIMEDOUT;
                }
                long slice = Math.min(left, SLICE_NANOS);
                try {
                    t.wait(slice / 1_000_000, (int) (slice % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Outcome.INTERRUPTED;
                }
            }
        }
    }

    /** Wakes the tasks a waker dequeued; called without holding this monitor. */
    private static void signal(List<Task> tasks) {
        for (Task t : tasks) {
            synchronized (t) {
                t.notifyAll();
            }
        }
    }
}

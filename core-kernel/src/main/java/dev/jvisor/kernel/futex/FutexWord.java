package dev.jvisor.kernel.futex;

import com.sun.jna.Pointer;
import dev.jvisor.kernel.mm.MemoryManager;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and atomically updates a futex word in app memory. App threads run natively and change the
 * same word with locked instructions, so read-modify-write from the Sentry must be a real atomic
 * operation on the shared memory-file page, not a read followed by a write. Errors are those of the
 * memory manager: EFAULT (as a SyscallException) for a word that is unmapped or, for updates, not
 * writable.
 */
public final class FutexWord {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** Atomic operations of FUTEX_WAKE_OP (Linux's FUTEX_OP_SET ... FUTEX_OP_XOR). */
    public static final int OP_SET = 0, OP_ADD = 1, OP_OR = 2, OP_ANDN = 3, OP_XOR = 4;

    private FutexWord() {}

    /** The word's current value; EFAULT if it is not readable. */
    public static int read(MemoryManager mm, long addr) {
        return mm.readInt(addr);
    }

    /**
     * Compare-and-exchange: stores {@code update} if the word holds {@code expected}. Returns the value
     * found (equal to {@code expected} on success), like Linux's futex_atomic_cmpxchg_inatomic.
     */
    public static int cmpxchg(MemoryManager mm, long addr, int expected, int update) {
        int[] found = new int[1];
        withWord(mm, addr, w -> {
            while (true) {
                if (INT.compareAndSet(w, 0, expected, update)) {
                    found[0] = expected;
                    return;
                }
                int cur = (int) INT.getVolatile(w, 0);
                if (cur != expected) {
                    found[0] = cur;
                    return;
                }
                // A spurious failure (the value matched after all): try again.
            }
        });
        return found[0];
    }

    /**
     * Applies a FUTEX_WAKE_OP operation atomically and returns the old value. {@code op} must be one
     * of the OP_ constants (the caller rejects others with ENOSYS before touching memory).
     */
    public static int apply(MemoryManager mm, long addr, int op, int oparg) {
        int[] old = new int[1];
        withWord(mm, addr, w -> {
            while (true) {
                int cur = (int) INT.getVolatile(w, 0);
                int next = switch (op) {
                    case OP_SET -> oparg;
                    case OP_ADD -> cur + oparg;
                    case OP_OR -> cur | oparg;
                    case OP_ANDN -> cur & ~oparg;
                    case OP_XOR -> cur ^ oparg;
                    default -> throw new IllegalArgumentException("futex op " + op);
                };
                if (INT.compareAndSet(w, 0, cur, next)) {
                    old[0] = cur;
                    return;
                }
            }
        });
        return old[0];
    }

    /** Whether the word can be written (Linux's fault_in_user_writeable). */
    public static boolean writable(MemoryManager mm, long addr) {
        try {
            withWord(mm, addr, w -> { });
            return true;
        } catch (dev.jvisor.kernel.SyscallException e) {
            return false;
        }
    }

    private interface WordAction {
        void run(ByteBuffer word);
    }

    /**
     * Runs {@code action} on the word's bytes in the Sentry's mapping of the memory file. The memory
     * manager's write transfer checks PROT_WRITE, populates the page (breaking any copy-on-write)
     * and hands over the host address.
     */
    private static void withWord(MemoryManager mm, long addr, WordAction action) {
        mm.transfer(addr, 4, true, (host, len) -> {
            action.run(new Pointer(host).getByteBuffer(0, 4).order(ByteOrder.nativeOrder()));
            return len;
        });
    }
}

package dev.jvisor.kernel.futex;

/**
 * The operation FUTEX_WAKE_OP encodes in its last argument (FUTEX_OP(op, oparg, cmp, cmparg)):
 * bits 28-30 the operation, bit 31 FUTEX_OP_OPARG_SHIFT (use 1 << oparg), bits 24-27 the
 * comparison, bits 12-23 and 0-11 the signed 12-bit operation and comparison arguments.
 *
 * @param op FutexWord.OP_SET ... OP_XOR, or more for an invalid operation
 * @param oparg the operand, already shifted when FUTEX_OP_OPARG_SHIFT is set
 * @param cmp FUTEX_OP_CMP_EQ ... FUTEX_OP_CMP_GE (0-5), or more for an invalid comparison
 * @param cmparg the comparison's operand
 */
public record WakeOp(int op, int oparg, int cmp, int cmparg) {
    private static final int OPARG_SHIFT = 8;
    public static final int CMP_EQ = 0, CMP_NE = 1, CMP_LT = 2, CMP_LE = 3, CMP_GT = 4, CMP_GE = 5;

    public static WakeOp decode(int encoded) {
        int op = (encoded >>> 28) & 7;
        int cmp = (encoded >>> 24) & 15;
        int oparg = (encoded << 8) >> 20; // bits 12-23, sign-extended
        int cmparg = (encoded << 20) >> 20; // bits 0-11, sign-extended
        if (((encoded >>> 28) & OPARG_SHIFT) != 0) {
            // Linux masks a shift outside 0-31 (and logs that the program should be fixed).
            oparg = 1 << (oparg & 31);
        }
        return new WakeOp(op, oparg, cmp, cmparg);
    }

    /** Whether the operation is one Linux knows (else ENOSYS, before memory is touched). */
    public boolean validOp() {
        return op <= FutexWord.OP_XOR;
    }

    /** The comparison of the word's old value: 1 true, 0 false, -1 an invalid comparison (ENOSYS). */
    public int compare(int oldval) {
        return switch (cmp) {
            case CMP_EQ -> oldval == cmparg ? 1 : 0;
            case CMP_NE -> oldval != cmparg ? 1 : 0;
            case CMP_LT -> oldval < cmparg ? 1 : 0;
            case CMP_LE -> oldval <= cmparg ? 1 : 0;
            case CMP_GT -> oldval > cmparg ? 1 : 0;
            case CMP_GE -> oldval >= cmparg ? 1 : 0;
            default -> -1;
        };
    }
}

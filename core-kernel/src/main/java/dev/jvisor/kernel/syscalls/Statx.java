package dev.jvisor.kernel.syscalls;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds struct statx (256 bytes) from the fields of a struct stat. */
final class Statx {
    private Statx() {}

    private static final int STATX_BASIC_STATS = 0x7ff;

    static byte[] fromStat(byte[] stat) {
        ByteBuffer s = ByteBuffer.wrap(stat).order(ByteOrder.LITTLE_ENDIAN);
        long dev = s.getLong(0), ino = s.getLong(8), nlink = s.getLong(16);
        int mode = s.getInt(24), uid = s.getInt(28), gid = s.getInt(32);
        long rdev = s.getLong(40), size = s.getLong(48), blksize = s.getLong(56), blocks = s.getLong(64);
        ByteBuffer x = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        x.putInt(STATX_BASIC_STATS).putInt((int) blksize).putLong(0).putInt((int) nlink).putInt(uid).putInt(gid);
        x.putShort((short) mode).putShort((short) 0).putLong(ino).putLong(size).putLong(blocks).putLong(0);
        // atime, btime (zero: not in the mask), ctime, mtime: {s64 sec, u32 nsec, s32 pad}
        putTime(x, s.getLong(72), s.getLong(80));
        putTime(x, 0, 0);
        putTime(x, s.getLong(104), s.getLong(112));
        putTime(x, s.getLong(88), s.getLong(96));
        x.putInt((int) (rdev >>> 8) & 0xfff).putInt((int) (rdev & 0xff));
        x.putInt((int) (dev >>> 8) & 0xfff).putInt((int) (dev & 0xff));
        return x.array();
    }

    private static void putTime(ByteBuffer x, long sec, long nsec) {
        x.putLong(sec).putInt((int) nsec).putInt(0);
    }
}

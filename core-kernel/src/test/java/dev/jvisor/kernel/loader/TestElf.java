package dev.jvisor.kernel.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Crafts small ELF64 files for tests: header, program headers at offset 64, arbitrary bytes elsewhere. */
final class TestElf {
    private int type = ElfFile.ET_EXEC;
    private int machine = ElfFile.EM_X86_64;
    private int phentsize = ElfFile.PHDR_SIZE;
    private Integer phnum;
    private long phoff = 64;
    private long entry = 0x401000;
    private byte elfClass = 2;
    private byte data = 1;
    private int size = 0x3000;
    private final List<ProgramHeader> phdrs = new ArrayList<>();
    private final List<Object[]> patches = new ArrayList<>();

    static TestElf exec() {
        return new TestElf();
    }

    TestElf type(int v) { type = v; return this; }
    TestElf machine(int v) { machine = v; return this; }
    TestElf phentsize(int v) { phentsize = v; return this; }
    TestElf phnum(int v) { phnum = v; return this; }
    TestElf phoff(long v) { phoff = v; return this; }
    TestElf entry(long v) { entry = v; return this; }
    TestElf elfClass(int v) { elfClass = (byte) v; return this; }
    TestElf data(int v) { data = (byte) v; return this; }
    TestElf size(int v) { size = v; return this; }

    TestElf ph(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
        phdrs.add(new ProgramHeader(type, flags, offset, vaddr, vaddr, filesz, memsz, align));
        return this;
    }

    TestElf load(int flags, long offset, long vaddr, long filesz, long memsz) {
        return ph(ProgramHeader.PT_LOAD, flags, offset, vaddr, filesz, memsz, 0x1000);
    }

    /** Writes {@code bytes} at file offset {@code offset}. */
    TestElf put(long offset, byte[] bytes) {
        patches.add(new Object[] {offset, bytes});
        return this;
    }

    byte[] bytes() {
        int total = Math.max(size, 64 + phdrs.size() * 56);
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', elfClass, data, 1, 0});
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1).putLong(24, entry)
                .putLong(32, phoff).putLong(40, 0).putInt(48, 0).putShort(52, (short) 64)
                .putShort(54, (short) phentsize).putShort(56, (short) (phnum != null ? phnum : phdrs.size()))
                .putShort(58, (short) 64);
        for (int i = 0; i < phdrs.size(); i++) {
            ProgramHeader p = phdrs.get(i);
            int o = 64 + 56 * i;
            b.putInt(o, p.type()).putInt(o + 4, p.flags()).putLong(o + 8, p.offset()).putLong(o + 16, p.vaddr())
                    .putLong(o + 24, p.paddr()).putLong(o + 32, p.filesz()).putLong(o + 40, p.memsz())
                    .putLong(o + 48, p.align());
        }
        byte[] out = b.array();
        for (Object[] patch : patches) {
            byte[] bytes = (byte[]) patch[1];
            System.arraycopy(bytes, 0, out, (int) (long) (Long) patch[0], bytes.length);
        }
        return out;
    }

    BytesSource source() {
        return new BytesSource("/test/elf", bytes());
    }
}

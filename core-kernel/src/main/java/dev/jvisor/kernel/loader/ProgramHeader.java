package dev.jvisor.kernel.loader;

/**
 * One ELF64 program header (Elf64_Phdr). The 64-bit fields are unsigned in the file and kept as
 * raw bits here: compare them with {@link Long#compareUnsigned}.
 */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr, long filesz,
                            long memsz, long align) {
    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    /** The mmap protection for this segment's p_flags (PF_R→PROT_READ, PF_W→PROT_WRITE, PF_X→PROT_EXEC). */
    public int prot() {
        int prot = 0;
        if ((flags & PF_R) != 0) {
            prot |= PROT_READ;
        }
        if ((flags & PF_W) != 0) {
            prot |= PROT_WRITE;
        }
        if ((flags & PF_X) != 0) {
            prot |= PROT_EXEC;
        }
        return prot;
    }

    @Override
    public String toString() {
        return String.format("ProgramHeader[type=0x%x flags=%d offset=0x%x vaddr=0x%x filesz=0x%x memsz=0x%x align=0x%x]",
                type, flags, offset, vaddr, filesz, memsz, align);
    }
}

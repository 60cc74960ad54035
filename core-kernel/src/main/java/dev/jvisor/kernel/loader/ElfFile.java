package dev.jvisor.kernel.loader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parsed ELF64 header and program headers of an x86-64 executable, validated the way Linux's
 * {@code load_elf_binary} does before its point of no return. Only headers are read; segments are
 * mapped by {@link ElfLoader}.
 */
public final class ElfFile {
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_X86_64 = 62;
    /** sizeof(Elf64_Ehdr). */
    public static final int EHDR_SIZE = 64;
    /** sizeof(Elf64_Phdr). */
    public static final int PHDR_SIZE = 56;
    /** Linux rejects program header tables larger than this (load_elf_phdrs). */
    static final int MAX_PHDRS_BYTES = 65536;
    /** Linux's PATH_MAX, the largest PT_INTERP it accepts. */
    static final int PATH_MAX = 4096;

    private final String path;
    private final int type;
    private final int machine;
    private final long entry;
    private final long phoff;
    private final int phentsize;
    private final List<ProgramHeader> programHeaders;
    private final String interpreter;

    private ElfFile(String path, int type, int machine, long entry, long phoff, int phentsize,
                    List<ProgramHeader> programHeaders, String interpreter) {
        this.path = path;
        this.type = type;
        this.machine = machine;
        this.entry = entry;
        this.phoff = phoff;
        this.phentsize = phentsize;
        this.programHeaders = programHeaders;
        this.interpreter = interpreter;
    }

    /**
     * Parses a main executable, including its PT_INTERP path. Every error is ENOEXEC except a short
     * read of the PT_INTERP string (EIO), as in Linux.
     */
    public static ElfFile parse(ElfSource src) throws LoaderException {
        return parse(src, true);
    }

    /**
     * Parses an ELF interpreter (ld.so). Linux reports a bad interpreter with ELIBBAD rather than
     * ENOEXEC (a short header read stays EIO), and ignores any PT_INTERP the interpreter has.
     */
    public static ElfFile parseInterpreter(ElfSource src) throws LoaderException {
        try {
            return parse(src, false);
        } catch (LoaderException e) {
            if (e.errno() != LoaderException.ENOEXEC) {
                throw e;
            }
            throw new LoaderException(LoaderException.ELIBBAD, "bad ELF interpreter: " + e.getMessage(), e);
        }
    }

    private static ElfFile parse(ElfSource src, boolean readInterpreter) throws LoaderException {
        String path = src.path();
        long size = src.size();
        byte[] hdr = new byte[EHDR_SIZE];
        int have = (int) Math.min(Math.max(size, 0), EHDR_SIZE);
        readFully(src, 0, hdr, have);
        if (!readInterpreter && have < EHDR_SIZE) {
            // Linux reads an interpreter's header with elf_read(), where a short read is EIO.
            throw new LoaderException(LoaderException.EIO, path + ": truncated ELF header (" + have + " of 64 bytes)");
        }
        if (have < 4 || hdr[0] != 0x7f || hdr[1] != 'E' || hdr[2] != 'L' || hdr[3] != 'F') {
            throw noexec(path, "not an ELF executable");
        }
        if (have < EHDR_SIZE) {
            throw noexec(path, "truncated ELF header (" + have + " of 64 bytes)");
        }
        // Linux's x86-64 elf_check_arch looks only at e_machine; we also insist on the class and
        // byte order we decode, since a 32-bit or big-endian file could only be read as garbage.
        if (hdr[4] != 2) {
            throw noexec(path, "ELF class " + hdr[4] + " is not 64-bit (only x86-64 executables run)");
        }
        if (hdr[5] != 1) {
            throw noexec(path, "ELF data encoding " + hdr[5] + " is not little-endian (only x86-64 executables run)");
        }
        ByteBuffer b = ByteBuffer.wrap(hdr).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        if (type != ET_EXEC && type != ET_DYN) {
            throw noexec(path, "ELF type " + typeName(type) + " is not an executable (ET_EXEC or ET_DYN)");
        }
        if (machine != EM_X86_64) {
            throw noexec(path, "ELF for machine " + machine + ", not x86-64");
        }
        if (phentsize != PHDR_SIZE) {
            throw noexec(path, "ELF program header size " + phentsize + ", expected " + PHDR_SIZE);
        }
        int tableSize = phnum * PHDR_SIZE;
        if (phnum == 0 || tableSize > MAX_PHDRS_BYTES) {
            throw noexec(path, "ELF has " + phnum + " program headers (1.." + MAX_PHDRS_BYTES / PHDR_SIZE + " allowed)");
        }
        // Linux's load_elf_phdrs turns a short read into ENOEXEC too (it only reports failure).
        if (Long.compareUnsigned(phoff, size) > 0 || tableSize > size - phoff) {
            throw noexec(path, String.format("program headers (%d bytes at offset 0x%x) extend past the end of the file",
                    tableSize, phoff));
        }
        byte[] table = new byte[tableSize];
        readFully(src, phoff, table, tableSize);
        List<ProgramHeader> phdrs = parseProgramHeaders(table, phnum);
        String interp = readInterpreter ? readInterpreter(src, phdrs) : null;
        return new ElfFile(path, type, machine, entry, phoff, phentsize, Collections.unmodifiableList(phdrs), interp);
    }

    private static List<ProgramHeader> parseProgramHeaders(byte[] table, int phnum) {
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        List<ProgramHeader> list = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int o = i * PHDR_SIZE;
            list.add(new ProgramHeader(b.getInt(o), b.getInt(o + 4), b.getLong(o + 8), b.getLong(o + 16),
                    b.getLong(o + 24), b.getLong(o + 32), b.getLong(o + 40), b.getLong(o + 48)));
        }
        return list;
    }

    /** Reads the first PT_INTERP's path, checked as Linux does (2..PATH_MAX bytes, NUL-terminated). */
    private static String readInterpreter(ElfSource src, List<ProgramHeader> phdrs) throws LoaderException {
        for (ProgramHeader ph : phdrs) {
            if (ph.type() != ProgramHeader.PT_INTERP) {
                continue;
            }
            if (Long.compareUnsigned(ph.filesz(), PATH_MAX) > 0 || ph.filesz() < 2) {
                throw noexec(src.path(), "PT_INTERP size " + Long.toUnsignedString(ph.filesz()) + " is not in 2.." + PATH_MAX);
            }
            int len = (int) ph.filesz();
            if (Long.compareUnsigned(ph.offset(), src.size()) > 0 || len > src.size() - ph.offset()) {
                throw new LoaderException(LoaderException.EIO,
                        src.path() + ": PT_INTERP at offset 0x" + Long.toHexString(ph.offset()) + " is past the end of the file");
            }
            byte[] buf = new byte[len];
            readFully(src, ph.offset(), buf, len);
            if (buf[len - 1] != 0) {
                throw noexec(src.path(), "PT_INTERP path is not NUL-terminated");
            }
            int end = 0;
            while (buf[end] != 0) {
                end++;
            }
            // Linux opens the C string, i.e. up to the first NUL.
            return new String(buf, 0, end, StandardCharsets.UTF_8);
        }
        return null;
    }

    /** Reads exactly {@code len} bytes, turning any non-loader I/O failure into EIO. */
    static void readFully(ElfSource src, long offset, byte[] dst, int len) throws LoaderException {
        readFully(src, offset, dst, 0, len);
    }

    static void readFully(ElfSource src, long offset, byte[] dst, int dstOff, int len) throws LoaderException {
        if (len == 0) {
            return;
        }
        try {
            src.read(offset, dst, dstOff, len);
        } catch (LoaderException e) {
            throw e;
        } catch (IOException e) {
            throw new LoaderException(LoaderException.EIO, src.path() + ": " + e.getMessage(), e);
        }
    }

    private static LoaderException noexec(String path, String what) {
        return new LoaderException(LoaderException.ENOEXEC, path + ": " + what);
    }

    private static String typeName(int type) {
        switch (type) {
            case 0: return "0 (ET_NONE)";
            case 1: return "1 (ET_REL, an object file)";
            case 4: return "4 (ET_CORE, a core dump)";
            default: return Integer.toString(type);
        }
    }

    /** The path of the file this was parsed from. */
    public String path() {
        return path;
    }

    /** e_type: {@link #ET_EXEC} or {@link #ET_DYN}. */
    public int type() {
        return type;
    }

    /** True for ET_DYN (PIE executables, static-pie, ld.so), which are placed at a chosen base. */
    public boolean isPositionIndependent() {
        return type == ET_DYN;
    }

    /** e_machine (always {@link #EM_X86_64}). */
    public int machine() {
        return machine;
    }

    /** e_entry, before any load bias. */
    public long entry() {
        return entry;
    }

    /** e_phoff: file offset of the program header table. */
    public long phoff() {
        return phoff;
    }

    /** e_phentsize (always {@link #PHDR_SIZE}). */
    public int phentsize() {
        return phentsize;
    }

    /** e_phnum. */
    public int phnum() {
        return programHeaders.size();
    }

    /** All program headers in file order. */
    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** The PT_LOAD headers in file order. */
    public List<ProgramHeader> loadSegments() {
        List<ProgramHeader> loads = new ArrayList<>();
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() == ProgramHeader.PT_LOAD) {
                loads.add(ph);
            }
        }
        return loads;
    }

    /** The PT_INTERP path (e.g. "/lib64/ld-linux-x86-64.so.2"), or null for static executables and interpreters. */
    public String interpreter() {
        return interpreter;
    }

    /** The first PT_PHDR header, or null. */
    public ProgramHeader phdrSegment() {
        return first(ProgramHeader.PT_PHDR);
    }

    /** The first PT_TLS header, or null. */
    public ProgramHeader tls() {
        return first(ProgramHeader.PT_TLS);
    }

    /** The PT_GNU_STACK header that Linux uses (the last one), or null. */
    public ProgramHeader gnuStack() {
        ProgramHeader last = null;
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() == ProgramHeader.PT_GNU_STACK) {
                last = ph;
            }
        }
        return last;
    }

    /**
     * Whether the stack must be executable: PT_GNU_STACK with PF_X. Without PT_GNU_STACK an x86-64
     * program gets a non-executable stack (elf_read_implies_exec is for 32-bit only).
     */
    public boolean executableStack() {
        ProgramHeader gs = gnuStack();
        return gs != null && (gs.flags() & ProgramHeader.PF_X) != 0;
    }

    private ProgramHeader first(int ptype) {
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() == ptype) {
                return ph;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ElfFile[" + path + ", " + (type == ET_DYN ? "ET_DYN" : "ET_EXEC") + ", entry=0x"
                + Long.toHexString(entry) + ", phnum=" + phnum() + (interpreter != null ? ", interp=" + interpreter : "") + "]";
    }
}

package dev.jvisor.kernel.loader;

/**
 * The main executable as loaded: what the kernel needs to start it and to fill the auxiliary vector.
 *
 * @param entry entry point with the load bias applied (AT_ENTRY)
 * @param phdr address of the program header table in memory (AT_PHDR)
 * @param phnum number of program headers (AT_PHNUM)
 * @param phent size of one program header, 56 (AT_PHENT)
 * @param base load bias added to every p_vaddr: 0 for ET_EXEC
 * @param interpreter PT_INTERP path, or null for a static executable
 * @param brkStart initial program break: end of the highest segment, page aligned
 * @param executableStack PT_GNU_STACK asks for an executable stack
 */
public record LoadedImage(long entry, long phdr, int phnum, int phent, long base, String interpreter,
                          long brkStart, boolean executableStack) {}

package dev.jvisor.kernel.loader;

/**
 * The ELF interpreter (ld.so) as loaded.
 *
 * @param entry where the process starts: the interpreter's e_entry plus its base
 * @param base load bias of the interpreter (AT_BASE)
 */
public record InterpreterImage(long entry, long base) {}

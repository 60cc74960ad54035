/**
 * The ELF loader: parses x86-64 executables, maps their segments into an application address space
 * and builds the initial process stack, following Linux's {@code fs/binfmt_elf.c} and
 * {@code fs/exec.c}.
 *
 * <p>The package depends on nothing else in the kernel: it reads executables through {@link
 * dev.jvisor.kernel.loader.ElfSource} and writes memory through {@link
 * dev.jvisor.kernel.loader.LoaderMemory}, both implemented by the caller. Typical use by
 * {@code execve}:
 *
 * <pre>{@code
 * ElfFile exe = ElfFile.parse(src);                       // errors here: execve fails with errno
 * ElfFile ld = exe.interpreter() != null ? ElfFile.parseInterpreter(ldSrc) : null;
 * // ---- point of no return: the old address space is discarded ----
 * InitialStack.mapStack(mem, stackTop, InitialStack.DEFAULT_STACK_SIZE, exe.executableStack());
 * LoadedImage img = ElfLoader.load(exe, src, mem);
 * InterpreterImage interp = ld != null ? ElfLoader.loadInterpreter(ld, ldSrc, mem) : null;
 * StackLayout stack = InitialStack.build(mem, stackTop, InitialStack.DEFAULT_STACK_SIZE, args, img,
 *     interp != null ? interp.base() : 0, params);
 * // start the task at interp != null ? interp.entry() : img.entry(), with rsp = stack.rsp()
 * }</pre>
 */
package dev.jvisor.kernel.loader;

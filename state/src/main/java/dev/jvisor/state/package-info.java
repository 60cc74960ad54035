/**
 * The snapshot format of jvisor: how a frozen sandbox is laid out on disk, written, verified and
 * read back. It knows nothing of Linux or of the kernel; the kernel hands it an object graph and a
 * {@link dev.jvisor.state.MemorySource}, and gets them back.
 *
 * <p>A snapshot is a directory holding:
 * <ul>
 *   <li>{@code kernel.bin} — the kernel object graph: Kryo ({@link dev.jvisor.state.SnapshotKryo})
 *       in one zstd stream;
 *   <li>{@code pages.bin} — the non-zero pages of the memory file, as independently compressed
 *       chunks laid end to end, no header;
 *   <li>{@code pages.index.json} — the {@link dev.jvisor.state.ChunkIndex}: where each chunk's
 *       pages belong in memory and where its bytes are in {@code pages.bin}, with their CRC32C;
 *   <li>{@code manifest.json} — the {@link dev.jvisor.state.Manifest}, written last: format
 *       version, provenance, CPU features, and size and CRC32C of the three other files.
 * </ul>
 * {@link dev.jvisor.state.SnapshotWriter} and {@link dev.jvisor.state.SnapshotReader} are the
 * entry points; the classes they use are public for the callers that need finer control (lazy
 * page loading, tools).
 */
package dev.jvisor.state;

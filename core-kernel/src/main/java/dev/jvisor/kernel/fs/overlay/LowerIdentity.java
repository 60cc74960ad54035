package dev.jvisor.kernel.fs.overlay;

/** A lower-layer file as the sandbox first saw it: path relative to the layer's root, inode, size, mtime. */
public record LowerIdentity(String path, long ino, long size, long mtimeNs) {}

package dev.jvisor.gofer;

/** A new fid and the attributes of the file it names (the reply of WALK, CLONE and CREATE). */
public record FidAttr(int fid, Attr attr) {}

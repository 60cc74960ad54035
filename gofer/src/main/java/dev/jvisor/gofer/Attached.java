package dev.jvisor.gofer;

/** The reply of ATTACH: the export's root fid, whether the export is read-only, and the root's attributes. */
public record Attached(int fid, boolean readOnly, Attr attr) {}

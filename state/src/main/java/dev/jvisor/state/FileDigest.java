package dev.jvisor.state;

/**
 * Size and CRC32C of a file's bytes as written, used to verify a snapshot part before it is used.
 * CRC32C rather than a cryptographic hash: it detects the accidents we care about (truncation,
 * flipped bits) at memory speed, with hardware support on x86-64.
 */
public record FileDigest(long size, long crc32c) {}

package dev.jvisor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A memory size as users write it: bytes, or a number with k, m, g or t (powers of 1024). */
final class MemorySize implements ITypeConverter<Long> {
    private static final long MIN = 16L << 20;

    @Override
    public Long convert(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        int shift = 0;
        if (!v.isEmpty() && "kmgt".indexOf(v.charAt(v.length() - 1)) >= 0) {
            shift = 10 * ("kmgt".indexOf(v.charAt(v.length() - 1)) + 1);
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a size (examples: 536870912, 512m, 4g)");
        }
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new TypeConversionException("'" + value + "' is out of range");
        }
        long bytes = (n << shift) & ~4095L;
        if (bytes < MIN) {
            throw new TypeConversionException("'" + value + "' is too small: a sandbox needs at least 16m");
        }
        return bytes;
    }

    /** 3/4 of the host's RAM, so that a runaway app inside cannot starve the host. */
    static long defaultCapacity() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb * 1024 / 4 * 3) & ~4095L;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return dev.jvisor.platform.MemoryFile.DEFAULT_CAPACITY;
    }
}

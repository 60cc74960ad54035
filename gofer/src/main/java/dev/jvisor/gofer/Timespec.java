package dev.jvisor.gofer;

import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * A point in time as Linux's struct timespec: seconds since the epoch and nanoseconds
 * ({@code 0 <= nsec < 1e9}). On the wire: i64 sec, u32 nsec.
 */
public record Timespec(long sec, int nsec) {
    public Timespec {
        if (nsec < 0 || nsec >= 1_000_000_000) {
            throw new IllegalArgumentException("nsec out of range: " + nsec);
        }
    }

    public static Timespec of(FileTime t) {
        Instant i = t.toInstant();
        return new Timespec(i.getEpochSecond(), i.getNano());
    }

    public static Timespec of(Instant i) {
        return new Timespec(i.getEpochSecond(), i.getNano());
    }

    public FileTime toFileTime() {
        return FileTime.from(Instant.ofEpochSecond(sec, nsec));
    }
}

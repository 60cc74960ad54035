package dev.jvisor.kernel.fs.dev;

/** The character devices of /dev with their Linux major/minor numbers. */
public enum Device {
    NULL("null", 1, 3), ZERO("zero", 1, 5), FULL("full", 1, 7), RANDOM("random", 1, 8), URANDOM("urandom", 1, 9),
    TTY("tty", 5, 0);

    private final String fileName;
    final int major;
    final int minor;

    Device(String fileName, int major, int minor) {
        this.fileName = fileName;
        this.major = major;
        this.minor = minor;
    }

    public String fileName() {
        return fileName;
    }

    long rdev() {
        return ((long) major << 8) | minor;
    }

    /** The device with this st_rdev (the old 8:8 encoding mknod uses for small numbers), or null. */
    public static Device byRdev(long rdev) {
        for (Device d : values()) {
            if (d.rdev() == rdev) {
                return d;
            }
        }
        return null;
    }
}

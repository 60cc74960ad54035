package dev.jvisor.kernel;

/** User and group identity of a process (the sandbox's own; root by default, as in a container). */
public final class Credentials {
    public int uid, euid, suid, gid, egid, sgid;

    /** A copy for a new process (fork): every field, whatever fields are added later. */
    public Credentials copy() {
        Credentials c = new Credentials();
        for (java.lang.reflect.Field f : Credentials.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                f.setAccessible(true);
                Object v = f.get(this);
                if (v instanceof int[] a) {
                    v = a.clone();
                } else if (v instanceof long[] a) {
                    v = a.clone();
                }
                f.set(c, v);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return c;
    }
}

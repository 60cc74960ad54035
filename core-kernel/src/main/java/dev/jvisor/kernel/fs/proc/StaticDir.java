package dev.jvisor.kernel.fs.proc;

import dev.jvisor.kernel.Task;
import dev.jvisor.kernel.vfs.Inode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** A procfs directory with a fixed set of entries (/proc/sys and below). */
public final class StaticDir extends ProcDir {
    private final LinkedHashMap<String, Inode> entries = new LinkedHashMap<>();

    StaticDir(ProcFs fs, long ino) {
        super(fs, ino, 0555, 0, 0);
    }

    StaticDir add(String name, Inode child) {
        entries.put(name, child);
        return this;
    }

    /** Adds and returns a subdirectory. */
    StaticDir dir(String name) {
        StaticDir d = new StaticDir(procFs(), procFs().nextIno());
        entries.put(name, d);
        return d;
    }

    /** Adds a read-only file with fixed contents. */
    StaticDir text(String name, String contents) {
        return add(name, ProcFile.text(procFs(), contents));
    }

    /** Adds a generated file. */
    StaticDir file(String name, ProcFile.Kind kind) {
        return add(name, new ProcFile(procFs(), procFs().nextIno(), kind, 0, 0, 0, 0444, 0, 0));
    }

    @Override
    List<String> names(Task t) {
        return new ArrayList<>(entries.keySet());
    }

    @Override
    Inode child(Task t, String name) {
        return entries.get(name);
    }
}

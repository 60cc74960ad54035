package dev.jvisor.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs a program directly on the host: the reference a sandboxed run is compared with. */
final class Native {
    private Native() {
    }

    static Run.Spec run(Path program, String... args) {
        List<String> c = new ArrayList<>();
        c.add(program.toString());
        c.addAll(Arrays.asList(args));
        return new Run.Spec(c);
    }

    static Run.Spec sample(String name, String... args) {
        return run(Jvisor.sample(name), args);
    }
}

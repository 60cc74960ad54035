package dev.jvisor.kernel.syscalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's "Syscall coverage" section is what {@link SyscallTable#coverageReport()} prints
 * (`./jvisor help syscalls`). When this fails, run {@code bin/update-coverage} and commit README.md.
 */
class SyscallCoverageReadmeTest {
    private static final String BEGIN = "<!-- syscall-coverage:begin -->", END = "<!-- syscall-coverage:end -->";

    /** The section's body as bin/update-coverage writes it: the summary, then the list in a code block. */
    static String expectedSection(List<String> report) {
        StringBuilder sb = new StringBuilder();
        sb.append(report.get(0)).append("\n\n```\n");
        for (String line : report.subList(1, report.size())) {
            sb.append(line).append('\n');
        }
        return sb.append("```\n").toString();
    }

    private static Path readme() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isRegularFile(d.resolve("bin/update-coverage"))) {
                return d.resolve("README.md");
            }
        }
        throw new IllegalStateException("no README.md with bin/update-coverage above " + Path.of("").toAbsolutePath());
    }

    @Test
    void readmeSectionMatchesTheTable() throws IOException {
        String text = Files.readString(readme());
        int b = text.indexOf(BEGIN + "\n");
        int e = text.indexOf(END);
        assertTrue(b >= 0 && e > b, "README.md has no " + BEGIN + " ... " + END + " section");
        String actual = text.substring(b + BEGIN.length() + 1, e);
        assertEquals(expectedSection(new SyscallTable().coverageReport()), actual,
                "README.md's syscall coverage is out of date: run bin/update-coverage (after mvn -q package -DskipTests)");
    }
}

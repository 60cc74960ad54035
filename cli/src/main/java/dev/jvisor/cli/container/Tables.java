package dev.jvisor.cli.container;

import java.util.List;

/**
 * Text tables laid out as Go's tabwriter does for runsc/runc (minwidth 12, padding 3, spaces): every
 * column but the last is padded to its widest cell plus 3, and at least 12.
 */
public final class Tables {
    private static final int MIN_WIDTH = 12, PADDING = 3;

    private Tables() {}

    public static String format(List<List<String>> rows) {
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int c = 0; c < r.size() - 1; c++) {
                width[c] = Math.max(width[c], Math.max(MIN_WIDTH, r.get(c).length() + PADDING));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            for (int c = 0; c < r.size(); c++) {
                String cell = r.get(c);
                sb.append(cell);
                if (c < r.size() - 1) {
                    sb.append(" ".repeat(width[c] - cell.length()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}

package io.rocluster.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Byte counts as people read and write them (binary units: 1 MiB = 1024 KiB). */
final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*([KMGT])(i?B)?", Pattern.CASE_INSENSITIVE);

    private ByteSizes() {}

    /**
     * A size with a binary unit: {@code 512M}, {@code 2G}, {@code 64MiB}, {@code 1t}.
     *
     * @throws IllegalArgumentException when it is not one, saying how to write it
     */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write a number and a unit, e.g. 512M or 2G");
        }
        int shift = switch (Character.toUpperCase(m.group(2).charAt(0))) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 40;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    /** picocli's converter for size options: a bad size is a usage error (exit 2) saying how to write one. */
    static final class Converter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}

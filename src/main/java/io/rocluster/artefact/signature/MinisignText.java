package io.rocluster.artefact.signature;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The line format minisign's files share: comment lines with fixed prefixes, base64 payload lines. */
final class MinisignText {

    static final String UNTRUSTED = "untrusted comment: ";
    static final String TRUSTED = "trusted comment: ";
    /** minisign's own limit on a comment line. */
    static final int COMMENT_MAX = 1024;

    private MinisignText() {}

    /** The lines of {@code text} without line ends ("\n" or "\r\n"), trailing empty lines dropped. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** Strict base64, or null when the line is not. */
    static byte[] base64(String line) {
        try {
            return Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A comment fit for one line: no line breaks, at most minisign's length. */
    static String oneLine(String comment, String what) {
        if (comment.indexOf('\n') >= 0 || comment.indexOf('\r') >= 0 || comment.length() > COMMENT_MAX) {
            throw new io.rocluster.RoclusterException("the " + what + " must be one line of at most " + COMMENT_MAX
                    + " characters");
        }
        return comment;
    }
}

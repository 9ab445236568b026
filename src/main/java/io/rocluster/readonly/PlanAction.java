package io.rocluster.readonly;

/**
 * One line of the image plan: a verb and its one argument.
 *
 * @param verb     what to do
 * @param argument a unit name, an absolute path, an absolute glob, or a policy word; never whitespace
 */
public record PlanAction(Verb verb, String argument) {

    public PlanAction {
        if (argument.isEmpty() || argument.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("plan argument must be one word: '" + argument + "'");
        }
    }

    /**
     * The verbs {@code stages/readonly-plan.sh} ({@code apply_plan}) knows; the comment of each is its contract.
     */
    public enum Verb {
        /**
         * {@code disable UNIT}: remove the unit's enablement symlinks under /etc/systemd/system (what
         * {@code systemctl disable} removes); a unit the image lacks is reported and skipped.
         */
        DISABLE("disable"),
        /** {@code mask UNIT}: /etc/systemd/system/UNIT becomes a symlink to /dev/null (what {@code systemctl mask} makes). */
        MASK("mask"),
        /** {@code delete GLOB}: {@code rm -rf} every match of an absolute glob (a pattern in its last component only). */
        DELETE("delete"),
        /** {@code delete-regular PATH}: remove PATH only if it is a regular file (a symlink stays). */
        DELETE_REGULAR("delete-regular"),
        /** {@code empty PATH}: truncate to zero bytes, creating it (mode 0444) if missing. */
        EMPTY("empty"),
        /** {@code mkdir PATH}: make sure a directory exists (a path already there, of any type, is left). */
        MKDIR("mkdir"),
        /** {@code touch PATH}: make sure a file exists, creating parents (a path already there is left). */
        TOUCH("touch"),
        /** {@code ssh-host-keys shared|per-client}: generate keys once now, or remove them from the image. */
        SSH_HOST_KEYS("ssh-host-keys");

        private final String word;

        Verb(String word) {
            this.word = word;
        }

        /** The verb as written in the plan file. */
        public String word() {
            return word;
        }
    }

    /** The plan line, {@code VERB ARGUMENT}. */
    @Override
    public String toString() {
        return verb.word() + " " + argument;
    }
}

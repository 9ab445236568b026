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
        /** {@code disable UNIT}: {@code systemctl disable}; a unit the image lacks is reported and skipped. */
        DISABLE("disable"),
        /** {@code mask UNIT}: {@code systemctl mask}. */
        MASK("mask"),
        /** {@code delete GLOB}: {@code rm -rf} every match of an absolute glob, expanded inside the root. */
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
        SSH_HOST_KEYS("ssh-host-keys"),
        /**
         * {@code source-date-epoch deb-release|deb-newest|rpm-release|rpm-newest}: {@code $SOURCE_DATE_EPOCH} if
         * the build passes one, else the build date of the release package (base-files, centos-release) or the
         * newest of all installed packages, written to {@code $OUT/source-date-epoch} as
         * {@code SECONDS<TAB>origin}; then /etc/shadow's change dates and stale {@code .pyc} files are made to
         * agree with it.
         */
        SOURCE_DATE_EPOCH("source-date-epoch");

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

package io.rocluster.readonly;

import java.util.List;

/**
 * What the build's readonly stage does to the image root besides copying the rendered files in: units to
 * disable and mask, host-specific files to delete or empty, and the rwtab/statetab paths that must exist
 * (readonly-root skips a path the image lacks).
 *
 * <p>File format ({@link #render()}), read by {@code apply_plan} in {@code stages/readonly-plan.sh} (in the
 * builder, and on the host for {@code rocluster apply}) with
 * {@code while read -r verb arg}: one action per line, {@code VERB ARGUMENT}, separated by one space;
 * arguments never contain whitespace; blank lines and lines starting with {@code #} are comments. Paths and
 * globs are absolute, as seen inside the image. Actions run in file order: deletions first, then files
 * emptied, then paths ensured, SSH host keys, and units last. The verbs are {@link PlanAction.Verb}.
 *
 * @param sections the actions in groups, each with a comment saying why
 */
public record ImagePlan(List<Section> sections) {

    public ImagePlan {
        sections = List.copyOf(sections);
    }

    /**
     * Actions that belong together.
     *
     * @param why     one comment line: why these actions
     * @param actions the actions, in order
     */
    public record Section(String why, List<PlanAction> actions) {
        public Section {
            actions = List.copyOf(actions);
        }
    }

    /** Every action, in order. */
    public List<PlanAction> actions() {
        return sections.stream().flatMap(s -> s.actions().stream()).toList();
    }

    /** The plan file. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Image plan rendered by rocluster from the image spec; applied by the readonly stage\n");
        sb.append("# (stages/readonly-plan.sh). One action per line: VERB ARGUMENT.\n");
        for (Section s : sections) {
            if (s.actions().isEmpty()) {
                continue;
            }
            sb.append('\n').append("# ").append(s.why()).append('\n');
            for (PlanAction a : s.actions()) {
                sb.append(a).append('\n');
            }
        }
        return sb.toString();
    }
}

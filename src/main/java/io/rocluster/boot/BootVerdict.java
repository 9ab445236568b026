package io.rocluster.boot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one boot test, as written to {@code images/<v>/boot-test.json}. {@code promote
 * --require-boot-test} reads {@code version} and {@code passed}; the rest is for people.
 *
 * @param version         the version booted
 * @param passed          whether every check passed
 * @param reason          one line: what passed, or every check that failed
 * @param mode            {@code pxe} or {@code direct-kernel}
 * @param startedAt       start of the test, ISO-8601 UTC
 * @param durationSeconds wall time of the whole test (server start to clean-up)
 * @param facts           what was observed
 */
public record BootVerdict(String version, boolean passed, String reason, String mode, String startedAt,
        long durationSeconds, Facts facts) {

    // Pretty JSON for the people who read boot-test.json; every field, null or not, so its shape is fixed.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    /** The verdict as {@code boot-test.json} holds it. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The verdict as a few lines for a terminal. */
    public List<String> summary() {
        List<String> out = new ArrayList<>();
        Facts f = facts;
        out.add("boot-test " + version + ": " + (passed ? "PASSED" : "FAILED") + " (" + mode + ", " + durationSeconds
                + " s; boot " + f.bootSeconds() + " s; " + f.accelerator() + ")");
        out.add("  " + reason);
        out.add("  reached: " + f.stageReached());
        if (f.root() != null) {
            out.add("  root: " + f.root().source() + " " + f.root().fstype() + " (" + f.root().options() + ")");
        }
        if (f.systemState() != null) {
            out.add("  system: " + f.systemState() + ", multi-user " + (Boolean.TRUE.equals(f.multiUser()) ? "yes" : "no")
                    + ", failed units: " + (f.failedUnits().isEmpty() ? "none" : String.join(" ", f.failedUnits())));
        }
        out.add("  rwtab writable: " + f.rwtabWritable().size() + (f.rwtabNotWritable().isEmpty() ? ""
                : ", not writable: " + String.join(" ", f.rwtabNotWritable()))
                + (f.rwtabSymlinks().isEmpty() ? "" : "; symlinks (a bind mount cannot make them writable): "
                        + String.join(" ", f.rwtabSymlinks())));
        out.add("  statetab persisted in " + f.stateDirectory() + ": " + String.join(" ", f.statetabPersisted())
                + (f.statetabMissing().isEmpty() ? "" : "; missing: " + String.join(" ", f.statetabMissing())));
        out.add("  console log: " + f.consoleLog());
        return out;
    }

    /**
     * What the test saw, from the console and from the host.
     *
     * @param clientName        the DHCP host name given to the guest
     * @param accelerator       tcg or kvm, and why
     * @param stageReached      the furthest boot stage seen on the console
     * @param bootSeconds       from QEMU start to the boot-check report (or to the end, without one)
     * @param poweredOff        whether the guest powered itself off (else it was stopped)
     * @param hostname          the host name the guest reported
     * @param systemState       {@code systemctl is-system-running} in the guest
     * @param multiUser         whether multi-user.target was active
     * @param failedUnits       failed units in the guest
     * @param pendingJobs       start jobs still queued when the guest reported
     * @param root              how / was mounted in the guest
     * @param rwtabWritable     rwtab paths a write succeeded in
     * @param rwtabNotWritable  rwtab paths a write failed in
     * @param rwtabSymlinks     rwtab paths that are symlinks in the image: a bind mount cannot make them
     *                          writable (it follows them), on EL7 as here; listed, not held against the image
     * @param statetabPersisted statetab paths whose marker the host found in the client's state directory
     * @param statetabMissing   statetab paths not bound from the state area, or whose marker did not reach it
     * @param stateDirectory    the client's state directory on the master
     * @param stateFiles        files under it after the test (relative, at most 200)
     * @param evidence          console lines showing each boot step
     * @param errors            error lines seen on the console
     * @param initramfsProblems what the initramfs lacks to mount an NFS root (read from the file), if anything
     * @param consoleLog        the serial console log kept beside the verdict
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Facts(
            String clientName,
            String accelerator,
            String stageReached,
            long bootSeconds,
            boolean poweredOff,
            String hostname,
            String systemState,
            Boolean multiUser,
            List<String> failedUnits,
            List<String> pendingJobs,
            BootCheckReport.Root root,
            List<String> rwtabWritable,
            List<String> rwtabNotWritable,
            List<String> rwtabSymlinks,
            List<String> statetabPersisted,
            List<String> statetabMissing,
            String stateDirectory,
            List<String> stateFiles,
            List<String> evidence,
            List<String> errors,
            List<String> initramfsProblems,
            String consoleLog) {}
}

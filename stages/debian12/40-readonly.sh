#!/bin/sh
# Stage readonly (debian12): makes the root fit to be mounted read-only by many clients.
#   $STAGE/files/  installed over the root (symlinks such as *.wants/ links kept, the root's own
#                  directory symlinks, e.g. /lib -> usr/lib, followed inside the root): the files
#                  rendered from the spec and the static trees stages/common/files and
#                  stages/debian12/files
#   $STAGE/plan    one action per line, "VERB PATH"; see apply_plan in readonly-plan.sh
# ROCLUSTER_FILE_CAPABILITIES=setuid replaces file capabilities by setuid root and lists the
# files changed in $OUT/capability-changes.
# `rocluster apply` runs this same script, with the same inputs, on a root directory of the host
# (ROOT, OUT and STAGE pointing there; ROCLUSTER_DRYRUN=1 for --dry-run).
set -eu
: "${ROOT:=/build/root}"
here=$(dirname "$0")
STAGE=${STAGE:-$here/readonly}
# shellcheck source-path=SCRIPTDIR source=../mounts.sh
. "$here/mounts.sh"
# shellcheck source-path=SCRIPTDIR source=../readonly-plan.sh
. "$here/readonly-plan.sh"

readonly_stage

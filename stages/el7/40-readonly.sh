#!/bin/sh
# Stage readonly (el7): makes the root fit to be mounted read-only by many clients; the image's
# own readonly-root service (initscripts) applies the rendered settings at boot.
#   $STAGE/files/  installed over the root: the files rendered from the spec and the static
#                  tree stages/common/files
#   $STAGE/plan    one action per line, "VERB ARG"; see apply_plan in readonly-plan.sh
# ROCLUSTER_FILE_CAPABILITIES=setuid replaces file capabilities by setuid root.
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

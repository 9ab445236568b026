#!/bin/sh
# Stage readonly (debian12): makes the root fit to be mounted read-only by many clients.
#   $STAGE/files/  copied over the root (rsync -aHK: keeps symlinks such as *.wants/ links and
#                  follows the root's own directory symlinks, e.g. /lib -> usr/lib): the files
#                  rendered from the spec and the static trees stages/common/files and
#                  stages/debian12/files
#   $STAGE/plan    one action per line, "VERB PATH"; see apply_plan in readonly-plan.sh
# ROCLUSTER_FILE_CAPABILITIES=setuid replaces file capabilities by setuid root and lists the
# files changed in /build/out/capability-changes.
set -eu
: "${ROOT:=/build/root}"
here=$(dirname "$0")
STAGE=${STAGE:-$here/readonly}
# shellcheck source-path=SCRIPTDIR source=../mounts.sh
. "$here/mounts.sh"
# shellcheck source-path=SCRIPTDIR source=../readonly-plan.sh
. "$here/readonly-plan.sh"

readonly_stage

#!/bin/sh
# The nightly job: build SPEC as the next nightly version, deploy it on the master, boot-test it in
# QEMU through the clients' own path (PXE, NFS root), and promote it only when that test passes.
# A failing step stops the job with a non-zero exit; the clients keep booting the active version.
#
# Usage: examples/nightly.sh [SPEC]            (default: examples/debian12.yaml)
# Environment:
#   ROCLUSTER_MASTER   the master's directory (default /data/cluster); created on first use with
#   ROCLUSTER_SERVER   the address clients reach the master at (default 10.0.2.2: where QEMU's user
#                      network puts the host, as examples/debian12.yaml expects) and
#   ROCLUSTER_CLIENTS  the clients' network (default 10.0.2.0/24)
#   ROCLUSTER_KEEP     versions gc keeps besides the active, rollback and pinned ones (default 5)
#   ROCLUSTER_SIGN_KEY the secret key (rocluster key generate) that signs each build as its last step;
#                      a master that trusts the key (rocluster master trust add) deploys only signed builds
#   ROCLUSTER_NIGHTLY_CACHE=1
#                      reuse the stage cache. By default each night builds from a fresh root
#                      (--no-cache): the cache is keyed on the spec and the scripts, not on the
#                      mirror, so a cached build would never pick up the distribution's updates.
set -eu
cd "$(dirname "$0")/.."

spec=${1:-examples/debian12.yaml}
export ROCLUSTER_MASTER="${ROCLUSTER_MASTER:-/data/cluster}"

if [ ! -f "$ROCLUSTER_MASTER/master.yaml" ]; then
    ./rocluster master init --server "${ROCLUSTER_SERVER:-10.0.2.2}" --clients "${ROCLUSTER_CLIENTS:-10.0.2.0/24}"
fi

fresh=--no-cache
[ "${ROCLUSTER_NIGHTLY_CACHE:-}" = 1 ] && fresh=
built=$(./rocluster build "$spec" --nightly $fresh)
echo "$built"
artefact=$(printf '%s\n' "$built" | sed -n 's/^built \([^ ]*\) .*/\1/p')
[ -n "$artefact" ] || { echo "nightly: could not read the artefact path from: $built" >&2; exit 1; }
version=$(basename "$artefact")

./rocluster deploy "$artefact"
./rocluster boot-test "$version"
./rocluster promote "$version" --require-boot-test --reason "nightly build of $spec"
./rocluster gc --keep "${ROCLUSTER_KEEP:-5}"
./rocluster status

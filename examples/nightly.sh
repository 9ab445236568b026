#!/bin/sh
# The nightly job: `rocluster nightly` builds SPEC as the next nightly version if anything changed
# (the spec, a stage script, the builder image, a package the mirror would install now), deploys
# it on the master, boot-tests it in QEMU through the clients' own path (PXE, NFS root), promotes
# it only when that test passes, and collects old versions. A failing step exits non-zero and the
# clients keep booting the active version; a night with nothing new exits 0 and says so. This
# wrapper only creates the master on first use. `rocluster render systemd` makes the timer.
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
#                      reuse the stage cache (nightly --use-cache). By default a changed night
#                      builds from a fresh root: the cache is keyed on the spec and the scripts, not
#                      on the mirror.
set -eu
cd "$(dirname "$0")/.."

spec=${1:-examples/debian12.yaml}
export ROCLUSTER_MASTER="${ROCLUSTER_MASTER:-/data/cluster}"

if [ ! -f "$ROCLUSTER_MASTER/master.yaml" ]; then
    ./rocluster master init --server "${ROCLUSTER_SERVER:-10.0.2.2}" --clients "${ROCLUSTER_CLIENTS:-10.0.2.0/24}"
fi

cache=
[ "${ROCLUSTER_NIGHTLY_CACHE:-}" = 1 ] && cache=--use-cache
# shellcheck disable=SC2086 # empty or one word
exec ./rocluster nightly "$spec" --keep "${ROCLUSTER_KEEP:-5}" $cache

#!/bin/sh
# Stage bootstrap (el7): a fresh minimal CentOS 7 at $ROOT with yum --installroot, from the
# vault repositories baked into the builder (/etc/rocluster/yum.conf). That private config
# (reposdir=/nonexistent) keeps yum from reading the root's own CentOS-*.repo files, whose
# mirrorlist no longer answers; the root gets the vault repositories instead.
set -eu
: "${ROOT:=/build/root}"
conf=/etc/rocluster/yum.conf

rm -rf "$ROOT"
mkdir -p "$ROOT"
yum -c "$conf" --installroot="$ROOT" --releasever=7 -y install centos-release bash yum
rm -f "$ROOT"/etc/yum.repos.d/CentOS-*.repo
cp /etc/rocluster/vault.repo "$ROOT/etc/yum.repos.d/rocluster-vault.repo"

#!/bin/bash
# A client of the CentOS 7 fixture booted as far as its read-only root service, in a container of
# the fixture image. The test bind-mounts the client root at /client (and a state directory at its
# STATE_MOUNT); here it gets /proc, /sys, /dev and a tmpfs /run as systemd gives them, is remounted
# read-only, and the service runs chrooted in it:
#   $1 = rhel-readonly   the image's own /usr/lib/systemd/rhel-readonly (initscripts 9.49.53)
#   $1 = rocluster       rocluster's implementation, /rocluster/readonly-root (what debian12 images carry)
# Then the probes of /rocluster/probes run in the client, one per line:
#   tree PATH    what the client sees under PATH: find's %y %m %P, and the md5 of each file
#   write PATH   whether a client can write there (a file in a directory, an append to a file)
# The report is one fact per line on stdout: "exit N", "log LINE" (the service's output),
# "premount T F R P" (mounts before the service), "mount T F R P" (mounts it made: target, type,
# root within the file system, propagation), "tree PATH TYPE MODE RELPATH [MD5]", "write PATH ok|ERROR".
set -u
C=/client
mount -t proc proc "$C/proc"
mount --rbind /sys "$C/sys"
mount --rbind /dev "$C/dev"
mount -t tmpfs tmpfs "$C/run"
case "$1" in
    rhel-readonly) service=(/usr/lib/systemd/rhel-readonly) ;;
    rocluster)
        cp /rocluster/readonly-root "$C/run/rocluster-readonly-root"
        service=(bash /run/rocluster-readonly-root) ;;
    *) echo "el7-client.sh: rhel-readonly or rocluster, not '$1'" >&2; exit 2 ;;
esac
cat >"$C/run/rocluster-probe.sh" <<'PROBE'
while read -r kind path; do
    case "$kind" in
        tree)
            find "$path" -printf '%y %m %P\n' 2>&1 | while read -r type mode rel; do
                if [ "$type" = f ]; then
                    echo "tree $path $type $mode $rel $(md5sum <"$path${rel:+/$rel}" | cut -d' ' -f1)"
                else
                    echo "tree $path $type $mode $rel"
                fi
            done ;;
        write)
            if [ -d "$path" ] && [ ! -L "$path" ]; then
                touch "$path/.rocluster-probe" 2>/run/probe.err
            else
                (: >>"$path") 2>/run/probe.err
            fi
            if [ $? -eq 0 ]; then
                echo "write $path ok"
            else
                echo "write $path $(sed 's/.*: //' /run/probe.err)"
            fi ;;
    esac
done
PROBE
mount -o remount,bind,ro "$C"
# systemd makes every mount shared at boot; SLAVE_MOUNTS is about what the service's binds do with that.
mount --make-rshared "$C"

mounts() { chroot "$C" findmnt -rn -o TARGET,FSTYPE,FSROOT,PROPAGATION; }
before=$(mounts)
chroot "$C" "${service[@]}" >/run/service.log 2>&1
echo "exit $?"
sed 's/^/log /' /run/service.log
printf '%s\n' "$before" | sed 's/^/premount /'
mounts | grep -vxF "$before" | sed 's/^/mount /'
chroot "$C" bash /run/rocluster-probe.sh </rocluster/probes

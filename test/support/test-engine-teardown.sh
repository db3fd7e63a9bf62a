#!/usr/bin/env bash
# Tears down one private test engine (test/support/test-engine.ts) and everything it left on
# the host, also after a crash: usage `test-engine-teardown.sh /tmp/acte-<n>`.
# Only what carries the engine's own root path or cgroup is touched: its dockerd, its managed
# containerd, its shims, the processes in its cgroup, its mounts and the bridges in its pool.
set -uo pipefail
shopt -s globstar nullglob

root=${1:?usage: test-engine-teardown.sh /tmp/acte-<n>}
root=${root%/}
case "$root" in /tmp/acte-[0-9]*) ;; *) echo "test-engine-teardown: $root is not a test engine root" >&2; exit 2 ;; esac
name=$(basename "$root")
pool=$(cat "$root/pool" 2>/dev/null || true) # e.g. 10.213.

owned() { # owned <pid>: the process's command line names this engine's root
  local cmdline
  cmdline=$(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ "$cmdline" == *"$root/"* ]]
}

cgroups=(/sys/fs/cgroup/*/"$name" /sys/fs/cgroup/"$name") # v1 hierarchies, or v2

cgroup_pids() { local dir; ip netns delete "$name" 2>/dev/null # its own network namespace (test-engine.ts)

for dir in "${cgroups[@]}"; do cat "$dir"/**/cgroup.procs 2>/dev/null; done | sort -u; }

kill_containers() { local pids; pids=$(cgroup_pids); [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true; }

pid=$(cat "$root/dockerd.pid" 2>/dev/null || true)
if [ -n "$pid" ] && owned "$pid"; then
  kill -CONT "$pid" 2>/dev/null # a frozen daemon would never see the TERM
  kill -TERM "$pid" 2>/dev/null
  # Containers are killed, not stopped: the daemon's shutdown then finishes at once and
  # unmounts what it mounted.
  for _ in $(seq 1 150); do
    owned "$pid" || break
    kill_containers
    sleep 0.2
  done
  owned "$pid" && kill -KILL "$pid" 2>/dev/null
fi

# What a daemon that did not stop cleanly leaves: containerd, shims, container processes.
for proc in /proc/[0-9]*; do
  p=${proc#/proc/}
  [ "$p" != $$ ] && owned "$p" && kill -KILL "$p" 2>/dev/null
done
kill_containers

# Mounts under the root, deepest first (container rootfs, shm, network namespaces, the root).
awk -v root="$root/" '{ if (index($5 "/", root) == 1) print $5 }' /proc/self/mountinfo | sort -r | while read -r mount; do
  umount -l "$mount" 2>/dev/null
done

if [ -n "$pool" ]; then
  ip -4 -o addr show 2>/dev/null | awk -v pool="$pool" '$2 ~ /^br-/ && index($4, pool) == 1 { print $2 }' | while read -r bridge; do
    ip link delete "$bridge" 2>/dev/null
  done
fi

for dir in "${cgroups[@]}"; do
  find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
done
rm -rf "$root"

#!/usr/bin/env bash
# Restores an etcd snapshot into a new data folder, for one member of the
# restored cluster (etcd's disaster recovery: every member is restored from the
# same snapshot, each with its own name and peer URL, all with the same
# initial cluster and token).
# Usage: etcd-restore.sh SNAPSHOT DATA_DIR NAME INITIAL_CLUSTER PEER_URL
#   ETCDCTL                   the etcdctl binary (default etcdctl)
#   ETCD_RESTORE_CLUSTER_TOKEN the restored cluster's token (default etcd-restore-<snapshot name>;
#                             the same on every member)
# The checksum file beside the snapshot (SNAPSHOT.sha256) is checked when it is
# there. DATA_DIR must not exist or be empty. Prints DATA_DIR as the last line.
set -euo pipefail
umask 077
export ETCDCTL_API=3

die() {
  echo "etcd-restore: $*" >&2
  exit 1
}

[[ $# -eq 5 ]] || die "usage: etcd-restore.sh SNAPSHOT DATA_DIR NAME INITIAL_CLUSTER PEER_URL"
snapshot="$1" data_dir="$2" name="$3" initial_cluster="$4" peer_url="$5"
etcdctl="${ETCDCTL:-etcdctl}"

[[ -f "$snapshot" && -r "$snapshot" ]] || die "snapshot $snapshot is not a readable file"
[[ -n "$name" ]] || die "NAME is empty"
[[ ",$initial_cluster," == *",$name=$peer_url,"* ]] || die "INITIAL_CLUSTER '$initial_cluster' does not hold this member ($name=$peer_url)"
[[ "$peer_url" =~ ^https?:// ]] || die "PEER_URL '$peer_url' is not a URL"
command -v "$etcdctl" >/dev/null 2>&1 || die "etcdctl not found ('$etcdctl'): install etcd-client or set ETCDCTL"
token="${ETCD_RESTORE_CLUSTER_TOKEN:-etcd-restore-$(basename "$snapshot" .db)}"

if [[ -f "$snapshot.sha256" ]]; then
  expected="$(awk 'NR == 1 { print $1 }' "$snapshot.sha256")"
  actual="$(sha256sum "$snapshot" | awk '{ print $1 }')"
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || die "$snapshot.sha256 holds no sha256 checksum"
  [[ "$expected" == "$actual" ]] || die "checksum mismatch: $snapshot is $actual, $snapshot.sha256 says $expected: not restoring"
fi

if [[ -e "$data_dir" ]]; then
  [[ -d "$data_dir" ]] || die "$data_dir exists and is not a folder"
  [[ -z "$(find "$data_dir" -mindepth 1 -maxdepth 1 -print -quit)" ]] || die "$data_dir is not empty: not restoring over it"
  # etcdctl refuses an existing folder, even an empty one: let it make its own.
  rmdir "$data_dir" || die "cannot remove the empty $data_dir"
fi

if ! output="$("$etcdctl" snapshot restore "$snapshot" --data-dir "$data_dir" --name "$name" \
  --initial-cluster "$initial_cluster" --initial-advertise-peer-urls "$peer_url" \
  --initial-cluster-token "$token" 2>&1)"; then
  die "etcdctl snapshot restore of $snapshot into $data_dir failed: $(awk 'NF { line = $0 } END { print line }' <<<"$output")"
fi
[[ -d "$data_dir/member" ]] || die "restore left no $data_dir/member"
chmod 0700 "$data_dir"

echo "$data_dir"

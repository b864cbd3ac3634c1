#!/usr/bin/env bash
# One etcd snapshot: saved, verified, checksummed, renamed into place, uploaded
# to S3 with SSE-KMS (when a bucket is set) and the oldest local ones pruned.
# Configured only by the environment (the systemd unit's EnvironmentFile):
#   ETCDCTL_ENDPOINTS        required; etcdctl reads it, and ETCDCTL_CACERT/CERT/KEY, itself
#   ETCD_BACKUP_DIR          required; where snapshots are kept
#   ETCD_BACKUP_KEEP         local snapshots kept (default 96)
#   ETCD_BACKUP_BUCKET       S3 bucket; empty: no upload
#   ETCD_BACKUP_PREFIX       key prefix in the bucket (the role: etcd/<control plane>/)
#   ETCD_BACKUP_KMS_KEY_ARN  KMS key of the upload; required with a bucket
#   ETCDCTL, AWS             the binaries (default etcdctl, aws)
# The snapshot's absolute path is the last line of stdout; any problem is one
# line on stderr and a non-zero exit.
set -euo pipefail
umask 077
export ETCDCTL_API=3

die() {
  echo "etcd-backup: $*" >&2
  exit 1
}

etcdctl="${ETCDCTL:-etcdctl}"
aws="${AWS:-aws}"
dir="${ETCD_BACKUP_DIR:-}"
keep="${ETCD_BACKUP_KEEP:-96}"
bucket="${ETCD_BACKUP_BUCKET:-}"
prefix="${ETCD_BACKUP_PREFIX:-}"
kms_key="${ETCD_BACKUP_KMS_KEY_ARN:-}"

[[ -n "${ETCDCTL_ENDPOINTS:-}" ]] || die "ETCDCTL_ENDPOINTS is not set (e.g. https://127.0.0.1:2379)"
[[ -n "$dir" ]] || die "ETCD_BACKUP_DIR is not set"
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "ETCD_BACKUP_KEEP must be a whole number of at least 1, not '$keep'"
[[ -z "$bucket" || -n "$kms_key" ]] || die "ETCD_BACKUP_KMS_KEY_ARN is not set: uploads to s3://$bucket are encrypted with SSE-KMS"
command -v "$etcdctl" >/dev/null 2>&1 || die "etcdctl not found ('$etcdctl'): install etcd-client or set ETCDCTL"
[[ -z "$bucket" ]] || command -v "$aws" >/dev/null 2>&1 || die "aws not found ('$aws'): install awscli or set AWS"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum not found (coreutils)"

mkdir -p "$dir" || die "cannot create $dir"
dir="$(cd "$dir" && pwd -P)" || die "cannot enter $dir"
name="etcd-$(date -u +%Y%m%dT%H%M%SZ).db"
snapshot="$dir/$name"
part="$snapshot.part"
[[ ! -e "$snapshot" ]] || die "$snapshot already exists (two runs in the same second?)"

# A failed run leaves no partial file behind.
trap 'rm -f "$part" "$part.part" "$snapshot.sha256.part"' EXIT

# The last line a tool printed, for a one-line error.
last_line() {
  awk 'NF { line = $0 } END { print line }' <<<"$1"
}

# etcdctl writes through "<path>.part" itself and renames on success.
if ! output="$("$etcdctl" snapshot save "$part" 2>&1)"; then
  die "etcdctl snapshot save from $ETCDCTL_ENDPOINTS failed: $(last_line "$output")"
fi

# A snapshot of a cluster that holds data has a revision and keys; zero of either is no backup.
status="$("$etcdctl" snapshot status -w json "$part" 2>&1)" || die "etcdctl snapshot status could not read $part: $(last_line "$status")"
revision="$(sed -n 's/.*"revision":\([0-9]*\).*/\1/p' <<<"$status")"
keys="$(sed -n 's/.*"totalKey":\([0-9]*\).*/\1/p' <<<"$status")"
[[ "${revision:-0}" -gt 0 && "${keys:-0}" -gt 0 ]] || die "snapshot $part looks empty (revision '${revision:-}', keys '${keys:-}'): not kept"

# The checksum names the final file, so sha256sum -c works beside it.
sum="$(sha256sum <"$part")" || die "cannot read $part"
printf '%s  %s\n' "${sum%% *}" "$name" >"$snapshot.sha256.part" || die "cannot write $snapshot.sha256"
mv -f "$snapshot.sha256.part" "$snapshot.sha256" || die "cannot write $snapshot.sha256"
mv -f "$part" "$snapshot" || die "cannot rename $part to $snapshot"
trap - EXIT

upload_error=""
if [[ -n "$bucket" ]]; then
  for file in "$snapshot" "$snapshot.sha256"; do
    if ! output="$("$aws" s3 cp --only-show-errors --sse aws:kms --sse-kms-key-id "$kms_key" "$file" "s3://$bucket/$prefix${file##*/}" 2>&1)"; then
      upload_error="upload of $file to s3://$bucket/$prefix failed (kept locally): $(last_line "$output")"
      break
    fi
  done
fi

# Pruned even when the upload failed, so a lasting S3 problem never fills the disk.
# Oldest first: the names sort by time. The one just made is never pruned (keep >= 1).
mapfile -t snapshots < <(find "$dir" -maxdepth 1 -type f -name 'etcd-*.db' -printf '%f\n' | LC_ALL=C sort)
excess=$((${#snapshots[@]} - keep))
for ((i = 0; i < excess; i++)); do
  rm -f "$dir/${snapshots[i]}" "$dir/${snapshots[i]}.sha256" || die "cannot prune $dir/${snapshots[i]}"
done

[[ -z "$upload_error" ]] || die "$upload_error"

echo "$snapshot"

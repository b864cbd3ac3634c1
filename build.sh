#!/usr/bin/env bash
# The platform build: ./build.sh [--target=NAME ...] [--env=dev|prod] [options]
# (./build.sh --help lists them; README.md explains the targets).
#
# The compiled build host is reused while build/ is unchanged: a content hash
# of its sources decides, so a warm run starts in a fraction of a second and
# any edit (or git checkout) rebuilds it first.
set -euo pipefail

caller="$PWD"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: dotnet not found: install the .NET 10 SDK (https://dot.net/install) and run again" >&2
  exit 2
fi

host_dir="$root/artifacts/host"
stamp="$host_dir/.source-hash"

source_hash() {
  {
    find build -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) \
      -not -path '*/bin/*' -not -path '*/obj/*' -print0
    printf '%s\0' Directory.Build.props global.json
  } | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

hash="$(source_hash)"
if [[ ! -f "$host_dir/Build.dll" || "$(cat "$stamp" 2>/dev/null || true)" != "$hash" ]]; then
  mkdir -p "$host_dir"
  # One rebuild at a time when several builds start together.
  exec 9>"$host_dir.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$hash" ]]; then
    echo "build.sh: compiling the build host (build/ changed)..." >&2
    rm -f "$stamp"
    if ! log="$(dotnet build build/Build.csproj -c Release -o "$host_dir" --nologo -v quiet 2>&1)"; then
      echo "$log" >&2
      echo "build.sh: the build host does not compile (see above)" >&2
      exit 1
    fi
    echo "$hash" >"$stamp"
  fi
fi

# Release the rebuild lock, and run from the caller's directory so relative
# paths in options mean what the caller meant; the build itself works in $root.
exec 9>&-
cd "$caller"
PLATFORM_ROOT="$root" exec dotnet "$host_dir/Build.dll" "$@"

#!/usr/bin/env bash
# The main job: install, build, then run `setpay demo --mobile` — the whole system as processes
# (gateway, merchant, wallet, terminal, the virtual card) — inside a private pcscd with the vpcd reader
# (scripts/with-virtual-pcsc.sh), so it works on a fresh machine without touching the system pcscd.
# Arguments go to `setpay demo` (e.g. --profile set1, --keep, --redirector relay|on-terminal|gateway-proxy;
# direct by default); --services or --in-process run the earlier demos instead of --mobile.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$here/scripts/setup.sh" "$here/build" >&2
mode=(--mobile)
args=()
for a in "$@"; do
  case "$a" in
    --services | --mobile | --help | -h) mode=() ;;
    --in-process) mode=(); continue ;;
  esac
  args+=("$a")
done
exec "$here/scripts/with-virtual-pcsc.sh" "$here/build/cli/setpay" demo "${mode[@]}" "${args[@]}"

#!/usr/bin/env bash
# The main job: install, build, then run `setpay demo` with its embedded defaults.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$here/scripts/setup.sh" "$here/build" >&2
exec "$here/build/cli/setpay" demo "$@"

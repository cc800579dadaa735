#!/usr/bin/env bash
# Runs a command inside a private pcscd with one vpcd virtual reader pair ("Virtual PCD 00 00/00 01").
# pcscd is socket-activated on a private Unix socket, so runs are isolated from each other and from the
# system pcscd (pcscd honours PCSCLITE_CSOCK_NAME only on the client side). Exports
#   PCSCLITE_CSOCK_NAME VPCD_PORT VPCD_PORT1 VPCD_READER0 VPCD_READER1
# and exits with the command's status. Usage: with-virtual-pcsc.sh COMMAND [ARGS...]
set -uo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

python=/usr/bin/python3          # not the pyenv python3 in PATH
reader0="Virtual PCD 00 00"
reader1="Virtual PCD 00 01"
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/setpay-pcsc.XXXXXX") || exit 1
pcscd_pid=""

stop_pcscd() {
  [[ -n "$pcscd_pid" ]] || return 0
  kill -TERM "$pcscd_pid" 2>/dev/null
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pcscd_pid" 2>/dev/null || break
    # a zombie still answers kill -0; it is reaped by the wait below
    [[ "$(ps -o stat= -p "$pcscd_pid" 2>/dev/null)" == Z* ]] && break
    sleep 0.1
  done
  kill -KILL "$pcscd_pid" 2>/dev/null
  wait "$pcscd_pid" 2>/dev/null
  pcscd_pid=""
}
cleanup() {
  stop_pcscd
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free even port pair (P for slot 0, P+1 for slot 1). Checked with ss only: vpcd would take a
# probing connect() for a card.
pick_port_pair() {
  local p
  for _ in $(seq 1 50); do
    p=$(( (RANDOM % 10000) * 2 + 30000 ))
    if [[ -z "$(ss -Htan "( sport = :$p or sport = :$((p + 1)) )" 2>/dev/null)" ]]; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# Socket activation: bind + listen on the private socket, put it at fd 3, exec pcscd in the same PID.
launcher='
import os, socket, sys
path, conf = sys.argv[1], sys.argv[2]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
os.chmod(path, 0o666)
s.listen(64)
if s.fileno() != 3:
    os.dup2(s.fileno(), 3, inheritable=True)
os.set_inheritable(3, True)  # dup2 onto itself would keep CLOEXEC
env = dict(os.environ, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
env.pop("LISTEN_FDNAMES", None)
os.execve("/usr/sbin/pcscd", ["pcscd", "--foreground", "--info", "--config", conf], env)
'

start_pcscd() {
  local port=$1 attempt=$2
  local conf_dir="$run_dir/conf"
  rm -rf "$conf_dir"
  mkdir -p "$conf_dir"
  cat > "$conf_dir/vpcd" <<CONF
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:$port
LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
CHANNELID    $port
CONF
  log="$run_dir/pcscd.$attempt.log"
  "$python" -c "$launcher" "$run_dir/pcscd.comm" "$conf_dir" > "$log" 2>&1 &
  pcscd_pid=$!
}

# Both readers listed and no bind failure in the log.
wait_for_readers() {
  local i out
  for ((i = 0; i < 50; i++)); do
    if ! kill -0 "$pcscd_pid" 2>/dev/null; then
      return 1
    fi
    if grep -q -e "Address already in use" -e "init failed" -e "Another pcscd" "$log" 2>/dev/null; then
      return 1
    fi
    out=$(PCSCLITE_CSOCK_NAME="$run_dir/pcscd.comm" timeout 2 pcsc_scan -r 2>/dev/null)
    if grep -qF "$reader0" <<<"$out" && grep -qF "$reader1" <<<"$out"; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

log=""
started=0
for attempt in 1 2 3 4 5; do
  port=$(pick_port_pair) || { echo "with-virtual-pcsc: no free port pair" >&2; exit 1; }
  start_pcscd "$port" "$attempt"
  if wait_for_readers; then
    started=1
    break
  fi
  echo "with-virtual-pcsc: attempt $attempt on port $port failed; pcscd log tail:" >&2
  tail -n 20 "$log" >&2
  stop_pcscd
done
if [[ $started -ne 1 ]]; then
  echo "with-virtual-pcsc: could not start pcscd with the vpcd reader" >&2
  exit 1
fi

export PCSCLITE_CSOCK_NAME="$run_dir/pcscd.comm"
export VPCD_PORT=$port
export VPCD_PORT1=$((port + 1))
export VPCD_READER0="$reader0"
export VPCD_READER1="$reader1"

# In the background (stdin kept) so that a SIGTERM/SIGINT to this script is forwarded and cleanup runs.
"$@" <&0 &
cmd_pid=$!
trap 'kill -TERM "$cmd_pid" 2>/dev/null' INT TERM
wait "$cmd_pid"
status=$?
while kill -0 "$cmd_pid" 2>/dev/null; do
  wait "$cmd_pid"
  status=$?
done
if [[ $status -ne 0 ]]; then
  echo "with-virtual-pcsc: command exited $status; pcscd log tail ($log):" >&2
  tail -n 40 "$log" >&2
fi
exit $status

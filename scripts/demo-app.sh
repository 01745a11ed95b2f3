#!/bin/sh
# Starts or stops the demo sample app (web + worker) detached, with pidfiles and logs in DIR.
#   scripts/demo-app.sh start DIR     scripts/demo-app.sh stop DIR     scripts/demo-app.sh status DIR
set -eu
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|status DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
port=${DEMO_WEB_PORT:-8089}

running() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

start_one() {  # name, script, log env var
    if running "$1"; then echo "$1 already running (pid $(cat "$dir/$1.pid"))"; return; fi
    env PORT="$port" "$3=$dir/$1.log" setsid python3 "$here/demo/sample-app/$2" </dev/null >>"$dir/$1.out" 2>&1 &
    echo $! > "$dir/$1.pid"
    echo "$1 started (pid $!, log $dir/$1.log)"
}

case "$cmd" in
start)
    start_one web web.py WEB_LOG
    start_one worker worker.py WORKER_LOG
    ;;
stop)
    for n in worker web; do
        if running "$n"; then
            pid=$(cat "$dir/$n.pid"); kill "$pid"
            i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
            kill -9 "$pid" 2>/dev/null || true
            echo "$n stopped"
        fi
        rm -f "$dir/$n.pid"
    done
    ;;
status)
    for n in web worker; do if running "$n"; then echo "$n running (pid $(cat "$dir/$n.pid"))"; else echo "$n stopped"; fi; done
    ;;
*) echo "usage: $0 start|stop|status DIR" >&2; exit 2 ;;
esac

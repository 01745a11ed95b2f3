#!/bin/sh
# Starts or stops the demo sample app (web + worker) detached, with pidfiles and logs in DIR.
#   scripts/demo-app.sh start DIR     scripts/demo-app.sh stop DIR     scripts/demo-app.sh status DIR
#   scripts/demo-app.sh wait DIR [SECONDS]   until web answers /healthz 200 and the worker logged its start
set -eu
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|status|wait DIR" >&2; exit 2; }
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
    start_one providers providers.py PROVIDERS_LOG
    ;;
stop)
    for n in providers worker web; do
        if running "$n"; then
            pid=$(cat "$dir/$n.pid"); kill "$pid"
            i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
            kill -9 "$pid" 2>/dev/null || true
            echo "$n stopped"
        fi
        rm -f "$dir/$n.pid"
    done
    ;;
wait)
    # opsbot starts only once the app is up: no false "connection refused" in its first minutes.
    limit=${3:-20}; i=0; t0=$(date +%s%N)
    while [ $i -lt $((limit * 5)) ]; do
        if python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1).status == 200 else 1)" 2>/dev/null \
           && grep -q "Bot is starting polling" "$dir/worker.log" 2>/dev/null; then
            ms=$(( ($(date +%s%N) - t0) / 1000000 )); echo "sample app healthy after ${ms} ms"; exit 0
        fi
        sleep 0.2; i=$((i + 1))
    done
    echo "sample app not healthy after ${limit} s (see $dir/web.out, $dir/worker.log)" >&2; exit 1
    ;;
status)
    for n in web worker providers; do if running "$n"; then echo "$n running (pid $(cat "$dir/$n.pid"))"; else echo "$n stopped"; fi; done
    ;;
*) echo "usage: $0 start|stop|status|wait DIR" >&2; exit 2 ;;
esac

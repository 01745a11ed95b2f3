#!/usr/bin/env bash
# Starts the demo sandbox (sample app, sample database) in .demo/ and opens the console on
# the embedded default config plus the demo sections (`opsbot console --demo`). Everything is stopped when the console exits.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEMO_DIR="$PWD/.demo"
mkdir -p "$DEMO_DIR"
[ -f "$DEMO_DIR/app.env" ] || printf 'ENABLE_TELEGRAM_BOT=true\n' > "$DEMO_DIR/app.env"
# The provider sandbox's demo credentials (demo/sample-app/providers.py); never real ones.
export YOOKASSA_SHOP_ID=506751 YOOKASSA_SECRET_KEY=test_demoSandboxKey_notARealSecret
export CRYPTOBOT_TOKEN=12345:AAdemoSandboxTokenNotARealSecret00

cleanup() {
  [ -x scripts/demo-app.sh ] && scripts/demo-app.sh stop "$DEMO_DIR" >/dev/null 2>&1 || true
  [ -x scripts/pg-sandbox.sh ] && scripts/pg-sandbox.sh stop "$DEMO_DIR/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ -x scripts/pg-sandbox.sh ]; then
  echo "demo: starting a throwaway PostgreSQL with a sample app database…" >&2
  eval "$(scripts/pg-sandbox.sh start "$DEMO_DIR/pg")"
  export DATABASE_URL
fi
if [ -x scripts/demo-app.sh ]; then
  echo "demo: starting the sample app (web + worker)…" >&2
  scripts/demo-app.sh start "$DEMO_DIR" >&2
  echo "demo: waiting for the sample app's health before opsbot starts…" >&2
  scripts/demo-app.sh wait "$DEMO_DIR" 20 >&2 || echo "demo: starting anyway; /status will show what is wrong" >&2
fi
export OPSBOT_STATE_DIR="$DEMO_DIR/state"
# The demo speaks Russian when asked (`make demo LANG=ru`, or a Russian locale), else English.
case "${DEMO_LANGUAGE:-${LANG:-}}" in
  ru|ru_*|ru-*|ru.*) set -- --language ru "$@" ;;
esac
.build/debug/opsbot console --demo "$@"

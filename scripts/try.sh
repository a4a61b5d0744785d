#!/usr/bin/env bash
# Sets up everything, then opens Rapport on a demo database (made once, kept in
# the user data dir as demo.sqlite). Extra arguments go to `crm demo`, e.g. --contacts 20000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
demo_db="$(.venv/bin/python -c 'from crm.paths import data_dir; print(data_dir() / "demo.sqlite")')"
if [ ! -f "$demo_db" ]; then
  echo "try: making demo data in $demo_db"
  .venv/bin/crm demo --db "$demo_db" --contacts 2000 "$@"
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  echo "try: no display found; running under xvfb-run (nothing will be visible)"
  exec xvfb-run -a .venv/bin/crm --db "$demo_db"
fi
exec .venv/bin/crm --db "$demo_db"

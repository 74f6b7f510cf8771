#!/usr/bin/env bash
# The project's two commands:
#   bash dev.sh run    set up (venv + pinned requirements), create the sample database on first start, open the dashboard
#   bash dev.sh test   set up what the tests need and run every test
set -euo pipefail
cd "$(dirname "$0")"
VENV="${VENV:-.venv}"
PY="${PYTHON:-python3}"

say() { printf '==> %s\n' "$*" >&2; }

ensure_venv() {  # $1 = requirements file
  local req="$1" stamp
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { say "Python 3.11+ is required (found $("$PY" --version))"; exit 2; }
  [ -x "$VENV/bin/python" ] || { say "creating virtual environment $VENV"; "$PY" -m venv "$VENV"; }
  stamp="$VENV/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$req")"
  if [ ! -f "$stamp" ]; then
    say "installing pinned requirements from $req"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    touch "$stamp"
  fi
}

ensure_browser() {  # Chromium + a CJK font for PNG export and the browser tests (Debian/Ubuntu)
  local missing=()
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing system packages: ${missing[*]} (apt-get, system-wide)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "missing ${missing[*]}: install them (sudo apt-get install -y ${missing[*]}); PNG and browser tests need them"
  fi
}

find_postgres() {  # use the local PostgreSQL for the database suite when it answers
  [ -n "${TEST_DATABASE_URL:-}" ] && return 0
  local url="postgresql+psycopg://postgres@127.0.0.1:5432/test"
  if "$VENV/bin/python" - "$url" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1].replace("+psycopg", ""), connect_timeout=3).close()
PYEOF
  then
    export TEST_DATABASE_URL="$url"; say "PostgreSQL found: TEST_DATABASE_URL=$url"
  else
    say "no PostgreSQL at 127.0.0.1:5432: the PostgreSQL tests will be skipped (set TEST_DATABASE_URL to run them)"
  fi
}

case "${1:-}" in
  run)
    shift
    ensure_venv requirements.txt
    data="${ENV_DASHBOARD_DATA_DIR:-data}" first="${ENV_DASHBOARD_DATA_DIR:-data}/initial_admin_password"
    if [ -f "$first" ] || { [ -z "${DATABASE_URL:-}" ] && [ ! -f "$data/dashboard.db" ]; }; then  # a fresh install
      say "阅读无需登录。上传、回滚、修改目标需登录：首次打开页面时创建账户 admin，一次性密码见 $first（新安装首次打开页面时也打印在下方日志中）"
      say "Reading needs no sign-in. To upload, roll back or change targets, sign in as admin with the one-time password in $first (on a fresh install also printed below when the first page opens)"
    fi
    exec "$VENV/bin/streamlit" run app.py "$@"
    ;;
  test)
    shift
    ensure_venv requirements-dev.txt
    ensure_browser
    find_postgres
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  lint)
    ensure_venv requirements-dev.txt
    "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check .
    ;;
  *)
    echo "usage: bash dev.sh run|test|lint [args]" >&2; exit 2 ;;
esac

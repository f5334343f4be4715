# Shared helpers of scripts/test and scripts/serve (sourced, not run).
# Environment knobs (all optional):
#   PYTHON            python interpreter that can `import odoo` (default: python3)
#   ODOO_ADDONS_PATH  extra addons folders, comma-separated, added after the suite's own
#   ODOO_DB_HOST / ODOO_DB_PORT / ODOO_DB_USER / ODOO_DB_PASSWORD   PostgreSQL connection
#                     (default: local socket as the current OS user)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}

say() { printf '\033[1m[channel-suite]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[channel-suite] %s\033[0m\n' "$*" >&2; exit "${2:-1}"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi; }

# Odoo 18 must be importable as the `odoo` package (official image, Debian package, or a checkout
# put on the Python path).
check_odoo() {
    command -v "$PYTHON" >/dev/null 2>&1 || die "No Python interpreter '$PYTHON' found (set PYTHON=...)." 2
    local version
    version=$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null) || die \
"Odoo is not importable by '$PYTHON'. The suite needs Odoo 18 (Community): use the official odoo:18.0
Docker image (see README: docker compose), the Debian package, or a checkout of Odoo 18 made importable
(pip install -r <odoo>/requirements.txt and put the checkout on the Python path, e.g. with a .pth file)." 2
    [ "$version" = 18 ] || die "Odoo $version found, but the suite needs Odoo 18." 2
}

# Odoo's own addons folders (as Odoo computes them when no addons_path is configured) after the suite's.
addons_path() {
    "$PYTHON" - "$ROOT/addons" "${ODOO_ADDONS_PATH:-}" <<'PY'
import os, sys
import odoo
root = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [sys.argv[1]] + [p for p in sys.argv[2].split(",") if p]
for candidate in (os.path.join(root, "addons"), os.path.abspath(os.path.join(root, "..", "addons"))):
    if os.path.isdir(os.path.join(candidate, "base")) or os.path.isdir(os.path.join(candidate, "web")):
        paths.append(candidate)
print(",".join(dict.fromkeys(paths)))
PY
}

# Every installable addon of the suite, comma-separated.
suite_modules() {
    "$PYTHON" - "$ROOT/addons" <<'PY'
import ast, os, sys
base = sys.argv[1]
names = []
for name in sorted(os.listdir(base)):
    manifest = os.path.join(base, name, "__manifest__.py")
    if os.path.isfile(manifest) and ast.literal_eval(open(manifest).read()).get("installable", True):
        names.append(name)
print(",".join(names))
PY
}

pg_try() {
    "$PYTHON" - <<'PY' 2>&1
import os, psycopg2
kw = {"dbname": "postgres"}
for key, env in (("host", "ODOO_DB_HOST"), ("port", "ODOO_DB_PORT"), ("user", "ODOO_DB_USER"), ("password", "ODOO_DB_PASSWORD")):
    if os.environ.get(env):
        kw[key] = os.environ[env]
psycopg2.connect(**kw).close()
PY
}

# Make sure a PostgreSQL server answers; on a local machine start (or install) it when we can.
ensure_postgres() {
    local err
    err=$(pg_try) && return 0
    if [ -z "${ODOO_DB_HOST:-}" ]; then
        if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v postgres >/dev/null 2>&1 \
            && command -v apt-get >/dev/null 2>&1; then
            say "PostgreSQL is not installed: installing it with apt-get"
            as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq postgresql >/dev/null || true
        fi
        if command -v service >/dev/null 2>&1; then
            say "Starting the local PostgreSQL server"
            as_root service postgresql start >/dev/null 2>&1 || true
            sleep 2
        fi
        err=$(pg_try) && return 0
        if printf '%s' "$err" | grep -q 'role .* does not exist'; then
            local me; me=$(id -un)
            [ "$me" = postgres ] && die "Odoo refuses to run as the 'postgres' database user: run as another user." 3
            say "Creating the PostgreSQL role '$me'"
            as_root su postgres -c "createuser --superuser '$me'" >/dev/null 2>&1 || true
        fi
        err=$(pg_try) && return 0
    fi
    die "PostgreSQL cannot be reached: $err
Start a PostgreSQL server (12 or newer) the current user can connect to, or set ODOO_DB_HOST,
ODOO_DB_PORT, ODOO_DB_USER and ODOO_DB_PASSWORD." 3
}

drop_db() {
    "$PYTHON" - "$1" <<'PY'
import os, sys, psycopg2
from psycopg2 import sql
kw = {"dbname": "postgres"}
for key, env in (("host", "ODOO_DB_HOST"), ("port", "ODOO_DB_PORT"), ("user", "ODOO_DB_USER"), ("password", "ODOO_DB_PASSWORD")):
    if os.environ.get(env):
        kw[key] = os.environ[env]
conn = psycopg2.connect(**kw)
conn.autocommit = True
with conn.cursor() as cr:
    cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (sys.argv[1],))
    cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(sys.argv[1])))
conn.close()
PY
}

# Write an Odoo configuration file for this run.
write_config() { # file db data_dir
    {
        echo "[options]"
        echo "addons_path = $(addons_path)"
        echo "db_name = $2"
        echo "dbfilter = ^$2\$"
        echo "data_dir = $3"
        echo "list_db = False"
        echo "max_cron_threads = 0"
        [ -n "${ODOO_DB_HOST:-}" ] && echo "db_host = $ODOO_DB_HOST"
        [ -n "${ODOO_DB_PORT:-}" ] && echo "db_port = $ODOO_DB_PORT"
        [ -n "${ODOO_DB_USER:-}" ] && echo "db_user = $ODOO_DB_USER"
        [ -n "${ODOO_DB_PASSWORD:-}" ] && echo "db_password = $ODOO_DB_PASSWORD"
        true
    } > "$1"
}

odoo_run() { "$PYTHON" -m odoo "$@"; }

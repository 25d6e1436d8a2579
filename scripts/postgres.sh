#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 under a
# temporary directory. Never touches a system cluster.
#
#   scripts/postgres.sh start   -> prints "DIR URL" (URL of a superuser "houvast")
#   scripts/postgres.sh stop DIR

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || return 1
    echo "$dir"
}

# PostgreSQL refuses to run as root: run its tools as the "postgres" user then.
as_pg() {
    if [ "$(id -u)" != 0 ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1 || [ -x /usr/sbin/runuser ]; then
        PATH="$PATH:/usr/sbin:/sbin" runuser -u postgres -- "$@"
    else
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}

start() {
    if ! pg_bindir >/dev/null; then
        apt_install postgresql
    fi
    local bin dir port url
    bin=$(pg_bindir) || die "PostgreSQL binaries not found after installing"
    dir=$(mktemp -d /tmp/houvast-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U houvast -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    for _ in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 30000))
        if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
            -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            >/dev/null 2>&1; then
            url="postgres://houvast@127.0.0.1:$port/postgres"
            echo "$dir $url"
            return 0
        fi
    done
    cat "$dir/server.log" >&2
    die "PostgreSQL did not start"
}

stop() {
    local dir=${1:?usage: scripts/postgres.sh stop DIR}
    local bin
    bin=$(pg_bindir) || return 0
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) die "usage: scripts/postgres.sh start | stop DIR" ;;
esac

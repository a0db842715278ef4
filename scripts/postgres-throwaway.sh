#!/usr/bin/env bash
# Functions to start and stop a throwaway PostgreSQL cluster for the tests: its own data directory,
# listening on 127.0.0.1 only, a random password, removed on stop. Source this file, then:
#   pg_throwaway_start   -> exports RADREGEN_TEST_POSTGRES (a connection string)
#   pg_throwaway_stop    -> stops the cluster and removes its directory (safe to call twice)

pg_throwaway_bin() {
    local initdb
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    [ -n "$initdb" ] && dirname "$initdb"
}

pg_throwaway_free_port() {
    local port
    for port in $(seq 55432 55532); do
        if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

pg_throwaway_start() {
    local bin port password
    bin=$(pg_throwaway_bin) || true
    if [ -z "$bin" ]; then
        echo "postgres-throwaway: no PostgreSQL server binaries (apt-get install postgresql)" >&2
        return 1
    fi
    port=$(pg_throwaway_free_port) || { echo "postgres-throwaway: no free port" >&2; return 1; }
    password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    RADREGEN_PG_DIR=$(mktemp -d /tmp/radregen-pg.XXXXXX)
    export RADREGEN_PG_DIR RADREGEN_PG_BIN="$bin"
    printf '%s\n' "$password" > "$RADREGEN_PG_DIR/pwfile"
    local run=()
    if [ "$(id -u)" = "0" ]; then
        # initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown -R postgres "$RADREGEN_PG_DIR"
        run=(runuser -u postgres --)
    fi
    export RADREGEN_PG_RUN="${run[*]}"
    "${run[@]}" "$bin/initdb" -D "$RADREGEN_PG_DIR/data" -U postgres --pwfile="$RADREGEN_PG_DIR/pwfile" \
        --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$RADREGEN_PG_DIR/initdb.log" 2>&1 \
        || { cat "$RADREGEN_PG_DIR/initdb.log" >&2; return 1; }
    rm -f "$RADREGEN_PG_DIR/pwfile"
    "${run[@]}" "$bin/pg_ctl" -D "$RADREGEN_PG_DIR/data" -l "$RADREGEN_PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -k $RADREGEN_PG_DIR -c max_connections=200 -c fsync=off" start >/dev/null \
        || { cat "$RADREGEN_PG_DIR/server.log" >&2; return 1; }
    export RADREGEN_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
    echo "postgres-throwaway: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($RADREGEN_PG_DIR)"
}

pg_throwaway_stop() {
    if [ -n "${RADREGEN_PG_DIR:-}" ] && [ -d "$RADREGEN_PG_DIR" ]; then
        # shellcheck disable=SC2086
        $RADREGEN_PG_RUN "$RADREGEN_PG_BIN/pg_ctl" -D "$RADREGEN_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$RADREGEN_PG_DIR"
    fi
    unset RADREGEN_PG_DIR
}

#!/usr/bin/env bash
# Backup/restore drill (docs/runbooks/backup-restore.md): dump the given schemas, fingerprint every table
# (row count + md5 of its rows in primary-key/ctid-independent order), drop the schemas, restore, fingerprint again,
# and fail unless both fingerprints are identical.
#   deploy/scripts/pg-restore-drill.sh "postgresql://user:pass@host:5432/coves" appview identity
# Needs pg_dump/pg_restore/psql of the server's major version on PATH or in PG_BIN (PG_BIN=/usr/lib/postgresql/17/bin).
# NEVER point it at production: it drops the schemas it restores. Use a restored copy / staging database.
set -euo pipefail
URL=$1; shift
SCHEMAS=("$@")
[ ${#SCHEMAS[@]} -gt 0 ] || { echo "usage: $0 URL schema..." >&2; exit 2; }
[ -n "${PG_BIN:-}" ] && export PATH="$PG_BIN:$PATH"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
IN=$(printf "'%s'," "${SCHEMAS[@]}"); IN=${IN%,}

fingerprint() {
  psql "$URL" -X -q -A -t -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN CREATE TEMP TABLE fp(t text, n bigint, h text); END \$\$;
DO \$\$
DECLARE r record; n bigint; h text;
BEGIN
  FOR r IN SELECT table_schema, table_name FROM information_schema.tables
           WHERE table_schema IN ($IN) AND table_type = 'BASE TABLE' ORDER BY 1, 2 LOOP
    EXECUTE format('SELECT count(*), coalesce(md5(string_agg(x::text, E''\\n'' ORDER BY x::text)), ''-'') FROM %I.%I x',
                   r.table_schema, r.table_name) INTO n, h;
    INSERT INTO fp VALUES (r.table_schema || '.' || r.table_name, n, h);
  END LOOP;
END \$\$;
SELECT t || ' ' || n || ' ' || h FROM fp ORDER BY t;
SQL
}

fingerprint > "$WORK/before.txt"
SCHEMA_ARGS=(); for s in "${SCHEMAS[@]}"; do SCHEMA_ARGS+=(--schema="$s"); done
pg_dump "$URL" --format=custom --no-owner --no-privileges "${SCHEMA_ARGS[@]}" --file="$WORK/coves.dump"
echo "dumped $(wc -c < "$WORK/coves.dump") bytes"
for s in "${SCHEMAS[@]}"; do psql "$URL" -X -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA \"$s\" CASCADE"; done
echo "wiped ${SCHEMAS[*]}"
pg_restore --dbname="$URL" --no-owner --no-privileges --exit-on-error "$WORK/coves.dump"
fingerprint > "$WORK/after.txt"
cat "$WORK/after.txt"
diff "$WORK/before.txt" "$WORK/after.txt"
echo "RESTORE VERIFIED: $(wc -l < "$WORK/after.txt") tables, same row counts and checksums"

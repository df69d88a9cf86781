#!/usr/bin/env bash
# Row count and md5 per projection table, in canonical order (appview.projection_checksums(), migration
# R__projection_checksums.sql). Compare two runs with diff:
#   scripts/projection-checksums.sh "$LIVE_URL" > live.txt; ...replay...; scripts/projection-checksums.sh "$URL" > replay.txt
#   diff live.txt replay.txt && echo "replay reproduces the live projections"
set -euo pipefail
psql "${1:?postgres URL, e.g. postgresql://postgres:postgres@localhost:5432/coves}" -v ON_ERROR_STOP=1 -At -F ' ' \
  -c "SELECT tbl, row_count, md5 FROM appview.projection_checksums()"

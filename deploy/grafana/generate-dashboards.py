# Regenerate k8s/base/dashboards/*.json (Grafana, provisioned by compose and by the k8s ConfigMap) from the repo root:
#   python3 deploy/grafana/generate-dashboards.py
import json
DS = {"type": "prometheus", "uid": "prometheus"}
def panel(i, title, exprs, unit="short", legend="{{service}}", y=0, x=0, w=12, h=8):
    return {"id": i, "type": "timeseries", "title": title, "datasource": DS,
            "gridPos": {"x": x, "y": y, "w": w, "h": h},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "targets": [{"refId": chr(65 + n), "datasource": DS, "expr": e, "legendFormat": l}
                        for n, (e, l) in enumerate(exprs if isinstance(exprs[0], tuple) else [(exprs[0], legend)])]}
def dash(uid, title, panels):
    for n, p in enumerate(panels):
        p["gridPos"]["x"] = (n % 2) * 12
        p["gridPos"]["y"] = (n // 2) * 8
    return {"uid": uid, "title": title, "tags": ["coves"], "schemaVersion": 39, "version": 1, "editable": True,
            "time": {"from": "now-3h", "to": "now"}, "refresh": "30s", "panels": panels,
            "templating": {"list": []}}
API = 'service="appview-api",uri!~"/q/.*"'
dashboards = {
 "coves-api": dash("coves-api", "Coves API (per route)", [
   panel(1, "Requests/s per route", [(f'sum by (uri, method) (rate(http_server_requests_seconds_count{{{API}}}[$__rate_interval]))', "{{method}} {{uri}}")], "reqps"),
   panel(2, "p99 latency per route", [(f'histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{{{API}}}[$__rate_interval])))', "{{uri}}")], "s"),
   panel(3, "Mean latency per route", [(f'sum by (uri) (rate(http_server_requests_seconds_sum{{{API}}}[$__rate_interval])) / sum by (uri) (rate(http_server_requests_seconds_count{{{API}}}[$__rate_interval]))', "{{uri}}")], "s"),
   panel(4, "Error ratio per route (4xx, 5xx)", [
       (f'sum by (uri) (rate(http_server_requests_seconds_count{{{API},status=~"5.."}}[$__rate_interval])) / sum by (uri) (rate(http_server_requests_seconds_count{{{API}}}[$__rate_interval]))', "5xx {{uri}}"),
       (f'sum by (uri) (rate(http_server_requests_seconds_count{{{API},status=~"4.."}}[$__rate_interval])) / sum by (uri) (rate(http_server_requests_seconds_count{{{API}}}[$__rate_interval]))', "4xx {{uri}}")], "percentunit"),
   panel(5, "Requests/s by status", [('sum by (status) (rate(http_server_requests_seconds_count{service="appview-api"}[$__rate_interval]))', "{{status}}")], "reqps"),
   panel(6, "Max latency per route", [(f'max by (uri) (http_server_requests_seconds_max{{{API}}})', "{{uri}}")], "s"),
   panel(7, "Identical reads: loaded vs joined one in flight", [('sum by (method, result) (rate(coves_api_shared_reads_total{service="appview-api"}[$__rate_interval]))', "{{method}} {{result}}")], "reqps"),
   panel(8, "Timeline community heads: read vs loaded from SQL", [('sum by (result) (rate(coves_api_timeline_heads_total{service="appview-api"}[$__rate_interval]))', "{{result}}")], "ops"),
   panel(9, "Cache hit ratio by cache", [('sum by (cache) (rate(cache_gets_total{service="appview-api",result="hit"}[$__rate_interval])) / sum by (cache) (rate(cache_gets_total{service="appview-api"}[$__rate_interval]))', "{{cache}}")], "percentunit"),
   panel(10, "Cache entries and evictions/s by cache", [('sum by (cache) (cache_size{service="appview-api",cache!=""})', "size {{cache}}"),
                                                        ('sum by (cache) (rate(cache_evictions_total{service="appview-api"}[$__rate_interval]))', "evictions/s {{cache}}")]),
   panel(11, "Sign-ins through the AppView by step, refreshes and logouts", [('sum by (step) (rate(coves_api_oauth_sign_ins_total{service="appview-api"}[$__rate_interval]))', "sign-in {{step}}"),
                                                                             ('sum by (outcome) (rate(coves_api_oauth_refreshes_total{service="appview-api"}[$__rate_interval]))', "refresh {{outcome}}"),
                                                                             ('sum(rate(coves_api_oauth_logouts_total{service="appview-api"}[$__rate_interval]))', "logout")], "ops"),
   panel(12, "Calls to users' PDSes and authorization servers by outcome", [('sum by (target, outcome) (rate(coves_api_oauth_upstream_calls_total{service="appview-api"}[$__rate_interval]))', "{{target}} {{outcome}}")], "ops"),
   panel(13, "Reads running, waiting for their turn, refused/s", [('sum(coves_api_reads_running{service="appview-api"})', "running"),
                                                                  ('sum(coves_api_reads_waiting{service="appview-api"})', "waiting"),
                                                                  ('sum(rate(coves_api_reads_refused_total{service="appview-api"}[$__rate_interval]))', "refused/s")]),
   panel(14, "Mean wait of a read for its turn", [('sum(rate(coves_api_reads_wait_seconds_sum{service="appview-api"}[$__rate_interval])) / sum(rate(coves_api_reads_wait_seconds_count{service="appview-api"}[$__rate_interval]))', "mean wait")], "s"),
 ]),
 "coves-ingest": dash("coves-ingest", "Coves ingest and indexer", [
   panel(1, "Jetstream frames/s by outcome", [('sum by (outcome) (rate(coves_ingest_frames_total[$__rate_interval]))', "{{outcome}}")], "ops"),
   panel(2, "Ingest lag (newest durable event vs now)", [('max(coves_jetstream_lag_seconds)', "lag")], "s"),
   panel(3, "Jetstream connected / in flight", [('max(coves_jetstream_connected)', "connected"), ('max(coves_jetstream_in_flight)', "in flight")]),
   panel(4, "Reconnects and cursor resets", [('sum by (cause) (increase(coves_jetstream_reconnects_total[$__rate_interval]))', "reconnect {{cause}}"),
                                               ('sum by (reason) (increase(coves_jetstream_cursor_reset_total[$__rate_interval]))', "cursor reset {{reason}}")]),
   panel(5, "Jetstream bytes/s", [('sum by (encoding) (rate(coves_jetstream_bytes_total[$__rate_interval]))', "{{encoding}}")], "Bps"),
   panel(6, "Kafka produce latency (mean, max)", [('sum(rate(coves_jetstream_produce_latency_seconds_sum[$__rate_interval])) / sum(rate(coves_jetstream_produce_latency_seconds_count[$__rate_interval]))', "mean"),
                                                   ('max(coves_jetstream_produce_latency_seconds_max)', "max")], "s"),
   panel(7, "Indexer events/s", [('sum by (instance) (rate(coves_indexer_events_total[$__rate_interval]))', "{{instance}}")], "ops"),
   panel(8, "Indexer batch time (mean, max)", [('sum by (instance) (rate(coves_indexer_batch_seconds_sum[$__rate_interval])) / sum by (instance) (rate(coves_indexer_batch_seconds_count[$__rate_interval]))', "mean {{instance}}"),
                                                ('max by (instance) (coves_indexer_batch_seconds_max)', "max {{instance}}")], "s"),
   panel(9, "Indexer consumer lag per partition", [('max by (topic, partition) (kafka_consumer_fetch_manager_records_lag{service="indexer"})', "{{topic}}/{{partition}}")]),
   panel(10, "Indexer max lag per replica", [('max by (instance) (kafka_consumer_fetch_manager_records_lag_max{service="indexer"})', "{{instance}}")]),
   panel(11, "Rejects by reason", [('sum by (reason) (rate(coves_ingest_rejects_total[$__rate_interval]))', "jetstream rejected: {{reason}}"),
                                     ('sum(rate(coves_ingest_frames_total{outcome="kafka_error"}[$__rate_interval]))', "jetstream kafka_error"),
                                    ('sum(rate(coves_indexer_rejects_total[$__rate_interval]))', "indexer records set aside (index_rejects)"),
                                    ('sum by (collection) (rate(coves_indexer_skipped_records_total[$__rate_interval]))', "indexer skipped {{collection}}"),
                                    ('sum by (host) (rate(coves_jetstream_decode_failures_total[$__rate_interval]))', "decode failures {{host}}")], "ops"),
   panel(12, "Count drift (rows fixed by last reconciliation)", [('max by (counter) (coves_indexer_count_drift)', "{{counter}}")]),
 ]),
 "coves-identity": dash("coves-identity", "Coves identity-service", [
   panel(1, "Cache hit ratio ((hit+stale)/all)", [('sum(rate(coves_identity_cache_requests_total{result=~"hit|stale"}[$__rate_interval])) / sum(rate(coves_identity_cache_requests_total[$__rate_interval]))', "hit ratio")], "percentunit"),
   panel(2, "Cache requests/s by result", [('sum by (result) (rate(coves_identity_cache_requests_total[$__rate_interval]))', "{{result}}")], "ops"),
   panel(3, "Lookups/s by source and outcome", [('sum by (source, outcome) (rate(coves_identity_lookups_total[$__rate_interval]))', "{{source}} {{outcome}}")], "ops"),
   panel(4, "Fetch p95 by source", [('histogram_quantile(0.95, sum by (le, source) (rate(coves_identity_fetch_seconds_bucket[$__rate_interval])))', "{{source}}")], "s"),
   panel(5, "Refusals by reason", [('sum by (reason) (rate(coves_identity_refusals_total[$__rate_interval]))', "{{reason}}")], "ops"),
   panel(6, "Purges by kind", [('sum by (kind) (rate(coves_identity_purges_total[$__rate_interval]))', "{{kind}}")], "ops"),
 ]),
 "coves-jvm-pools": dash("coves-jvm-pools", "Coves JVM and pools", [
   panel(1, "Heap used", [('sum by (service, instance) (jvm_memory_used_bytes{area="heap"})', "{{service}} {{instance}}")], "bytes"),
   panel(2, "GC pause time/s", [('sum by (service, instance) (rate(jvm_gc_pause_seconds_sum[$__rate_interval]))', "{{service}} {{instance}}")], "s"),
   panel(3, "Process CPU", [('max by (service, instance) (process_cpu_usage)', "{{service}} {{instance}}")], "percentunit"),
   panel(4, "Live threads", [('sum by (service, instance) (jvm_threads_live_threads)', "{{service}} {{instance}}")]),
   panel(5, "Reactive SQL pool: active, idle, queued", [('sum by (service, instance) (sql_pool_active)', "active {{service}} {{instance}}"),
                                                         ('sum by (service, instance) (sql_pool_idle)', "idle {{service}} {{instance}}"),
                                                         ('sum by (service, instance) (sql_pool_queue_size)', "queued {{service}} {{instance}}")]),
   panel(6, "Reactive SQL pool: wait for a connection (mean)", [('sum by (service) (rate(sql_pool_queue_delay_seconds_sum[$__rate_interval])) / sum by (service) (rate(sql_pool_queue_delay_seconds_count[$__rate_interval]))', "{{service}}")], "s"),
   panel(7, "JDBC pool (identity-service): active, awaiting", [('sum by (instance) (agroal_active_count)', "active {{instance}}"), ('sum by (instance) (agroal_awaiting_count)', "awaiting {{instance}}")]),
   panel(8, "Worker pool queue", [('sum by (service, instance) (worker_pool_queue_size)', "{{service}} {{instance}}")]),
 ]),
}
for name, d in dashboards.items():
    with open(f"k8s/base/dashboards/{name}.json", "w") as f:
        json.dump(d, f, indent=2); f.write("\n")

# Regenerate deploy/prometheus/alerts.yml and k8s/base/prometheus-rules.yaml from the repo root: python3 deploy/prometheus/generate-rules.py (PyYAML)
import json, sys
RB = "docs/runbooks/"  # relative to the repository root; prefix with your repo browser URL when routing alerts
api = 'service="appview-api",uri!~"/q/.*"'
rules = [
 ("CovesApi5xxRateHigh", f'sum(rate(http_server_requests_seconds_count{{{api},status=~"5.."}}[5m])) / sum(rate(http_server_requests_seconds_count{{{api}}}[5m])) > 0.05', "5m", "page",
  "API 5xx above 5%", "More than 5% of XRPC requests answered 5xx over 5 minutes.", "api-errors-latency.md"),
 ("CovesApiLatencyP99High", f'histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{{{api}}}[5m]))) > 1', "10m", "page",
  "API p99 latency above 1 s", "The 99th percentile of XRPC request time has been above 1 s for 10 minutes.", "api-errors-latency.md"),
 ("CovesApiChangeNoticesLost", 'min(coves_api_index_change_listening{service="appview-api"}) == 0', "5m", "ticket",
  "An API replica is not receiving the index's change notices", "The replica answers everything from the index (nothing is kept), so the database carries the whole read load.", "api-errors-latency.md"),
 ("CovesApiReadsRefused", 'sum(rate(coves_api_reads_refused_total{service="appview-api"}[5m])) > 0', "5m", "page",
  "API replicas refuse reads: too many waiting", "Reads waited in arrival order until max-waiting was reached and further reads got 503 ServiceUnavailable, for 5 minutes.", "api-errors-latency.md#reads-refused"),
 ("CovesIngestLagHigh", 'max(coves_jetstream_lag_seconds) > 60', "5m", "page",
  "Jetstream ingest lag above 1 minute", "The newest event durable in Kafka is more than 60 s behind the wall clock.", "ingest-lag.md"),
 ("CovesJetstreamDisconnected", 'max(coves_jetstream_connected) < 1 or absent(coves_jetstream_connected)', "2m", "page",
  "Jetstream disconnected for 2 minutes", "The jetstream role has had no open WebSocket to any Jetstream host for 2 minutes.", "jetstream-disconnected.md"),
 ("CovesJetstreamCursorReset", 'sum(increase(coves_jetstream_cursor_reset_total[15m])) > 0', "0m", "page",
  "Jetstream cursor reset detected", "The server did not re-deliver the resume anchor (reason label): events may be missing and the role fell back to a time cursor.", "jetstream-disconnected.md#cursor-reset"),
 ("CovesIndexerConsumerLagGrowing", 'sum(kafka_consumer_fetch_manager_records_lag{service="indexer"}) > 10000 and deriv(sum(kafka_consumer_fetch_manager_records_lag{service="indexer"})[15m:1m]) > 0', "15m", "page",
  "Indexer consumer lag growing", "The indexer group is more than 10,000 records behind and the lag kept growing for 15 minutes.", "indexer-lag.md"),
 ("CovesIndexerCountDrift", 'max(coves_indexer_count_drift) > 0', "0m", "ticket",
  "Count drift found by reconciliation", "The last reconciliation pass fixed counts that the incremental fold got wrong (counter label).", "count-drift.md"),
 ("CovesIndexerRecordsSetAside", 'sum(increase(coves_indexer_rejects_total[15m])) > 0', "0m", "ticket",
  "The indexer set records aside", "Records the database refused, or values that are not envelopes, went to appview.index_rejects in the last 15 minutes.", "index-rejects.md"),
 ("CovesDbPoolExhausted", 'max by (service, instance) (sql_pool_queue_size) > 5 or max by (service, instance) (rate(sql_pool_rejected_total[5m])) > 0 or max by (service, instance) (agroal_awaiting_count) > 0', "5m", "page",
  "Database connection pool exhausted", "Requests are queueing for (or being refused) a PostgreSQL connection.", "db-pool.md"),
 ("CovesIdentityFetchFailures", 'sum(rate(coves_identity_lookups_total{outcome="failed"}[10m])) > 0.05 and sum(rate(coves_identity_lookups_total{outcome="failed"}[10m])) / sum(rate(coves_identity_lookups_total[10m])) > 0.2', "10m", "ticket",
  "Identity fetch failures above 20%", "More than 20% of DID/handle network resolutions fail (PLC, did:web, DNS or HTTPS).", "identity-failures.md"),
 ("CovesServiceDown", 'up{service=~"appview-api|identity-service|jetstream-ingestor|indexer"} == 0', "5m", "page",
  "A Coves service is not scrapeable", "Prometheus could not scrape /q/metrics of {{ $labels.service }} ({{ $labels.instance }}) for 5 minutes.", "service-down.md"),
]
groups = [{"name": "coves-appview", "rules": [
  {"alert": a, "expr": e, "for": f, "labels": {"severity": s, "team": "coves-sre"},
   "annotations": {"summary": su, "description": d, "runbook_url": RB + r}} for a, e, f, s, su, d, r in rules]}]
import yaml
class D(yaml.SafeDumper): pass
def strp(dumper, data):
    return dumper.represent_scalar('tag:yaml.org,2002:str', data, style="'" if ('{' in data or '$' in data) else None)
D.add_representer(str, strp)
hdr = "# GENERATED from one list (keep both files identical; DeploymentManifestTests checks it). Each alert links its runbook.\n"
with open("deploy/prometheus/alerts.yml", "w") as f:
    f.write(hdr); yaml.dump({"groups": groups}, f, Dumper=D, sort_keys=False, width=200)
with open("k8s/base/prometheus-rules.yaml", "w") as f:
    f.write(hdr); yaml.dump({"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
      "metadata": {"name": "coves-appview", "labels": {"release": "prometheus"}}, "spec": {"groups": groups}}, f, Dumper=D, sort_keys=False, width=200)

#include "reports/store/schema.hpp"

#include <array>
#include <string>

#include "reports/store/sqlite.hpp"
#include "util/error.hpp"

namespace besrig {
namespace {

// Each entry moves the schema from version i to i + 1. Never edit a shipped
// entry: add a new one.
constexpr std::array<const char*, 4> k_migrations = {
    R"SQL(
CREATE TABLE rigs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  created_at REAL NOT NULL
);
CREATE TABLE patches (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at REAL NOT NULL
);
CREATE TABLE builds (
  id INTEGER PRIMARY KEY,
  patch TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  path TEXT NOT NULL,
  vermagic TEXT NOT NULL,
  srcversion TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  kernel_release TEXT NOT NULL,
  source_rev TEXT NOT NULL DEFAULT '',
  series_hash TEXT NOT NULL DEFAULT '',
  warnings INTEGER NOT NULL DEFAULT 0,
  warnings_text TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT 'build',
  built_at REAL NOT NULL
);
CREATE INDEX builds_patch ON builds(patch);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  patch TEXT NOT NULL DEFAULT '',
  build_sha256 TEXT NOT NULL DEFAULT '',
  rig TEXT NOT NULL,
  kernel_release TEXT NOT NULL DEFAULT '',
  profile TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'aborted')),
  verdict TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  exit_code INTEGER,
  is_baseline INTEGER NOT NULL DEFAULT 0,
  baseline_run INTEGER REFERENCES runs(id),
  rollback_pending INTEGER NOT NULL DEFAULT 0,
  started_at REAL NOT NULL,
  finished_at REAL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  pid_start TEXT NOT NULL DEFAULT '',
  command TEXT NOT NULL DEFAULT '',
  config_json TEXT NOT NULL DEFAULT '{}',
  details_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_patch ON runs(patch, started_at);
CREATE INDEX runs_status ON runs(status);
CREATE TABLE run_log (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  at REAL NOT NULL,
  level TEXT NOT NULL,
  step TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL,
  seconds REAL
);
CREATE INDEX run_log_run ON run_log(run_id);
CREATE TABLE reps (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  idx INTEGER NOT NULL,
  patch TEXT NOT NULL DEFAULT '',
  uptime_start_s REAL,
  started_at REAL NOT NULL,
  finished_at REAL,
  status TEXT NOT NULL DEFAULT 'running',
  counters_before TEXT NOT NULL DEFAULT '{}',
  counters_after TEXT NOT NULL DEFAULT '{}',
  identity_before TEXT NOT NULL DEFAULT '',
  identity_after TEXT NOT NULL DEFAULT '',
  UNIQUE (run_id, idx)
);
CREATE TABLE steps (
  id INTEGER PRIMARY KEY,
  rep_id INTEGER NOT NULL REFERENCES reps(id),
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  direction TEXT NOT NULL,
  rate_mbytes REAL NOT NULL,
  streams INTEGER NOT NULL,
  seconds INTEGER NOT NULL,
  omit INTEGER NOT NULL,
  started_at REAL NOT NULL,
  finished_at REAL,
  status TEXT NOT NULL DEFAULT 'running',
  mean_mbytes REAL,
  iperf3_version_client TEXT NOT NULL DEFAULT '',
  iperf3_version_server TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  UNIQUE (rep_id, idx)
);
CREATE TABLE samples (
  step_id INTEGER NOT NULL REFERENCES steps(id),
  t REAL NOT NULL,
  mbytes_per_s REAL NOT NULL,
  omitted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (step_id, t)
);
CREATE TABLE dispatch_counts (
  rep_id INTEGER NOT NULL REFERENCES reps(id),
  t REAL NOT NULL,
  function TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (rep_id, t, function)
);
CREATE TABLE kmsg (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  seq INTEGER,
  usec INTEGER,
  prio INTEGER,
  received_at REAL NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX kmsg_run ON kmsg(run_id, seq);
CREATE TABLE kernel_events (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  rep_idx INTEGER,
  step_name TEXT NOT NULL DEFAULT '',
  offset_s REAL,
  class TEXT NOT NULL,
  title TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  function TEXT NOT NULL DEFAULT '',
  module TEXT NOT NULL DEFAULT '',
  count INTEGER NOT NULL DEFAULT 1,
  first_usec INTEGER,
  last_usec INTEGER,
  severity TEXT NOT NULL DEFAULT 'fail',
  report TEXT NOT NULL DEFAULT ''
);
CREATE INDEX kernel_events_run ON kernel_events(run_id);
CREATE TABLE artifacts (
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs(id),
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  seconds REAL NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  created_at REAL NOT NULL
);
CREATE TABLE predictions (
  id INTEGER PRIMARY KEY,
  patch TEXT NOT NULL,
  metric TEXT NOT NULL,
  spec TEXT NOT NULL,
  lo REAL,
  hi REAL,
  baseline_run INTEGER REFERENCES runs(id),
  created_at REAL NOT NULL,
  frozen_at REAL,
  hash TEXT NOT NULL,
  superseded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX predictions_patch ON predictions(patch);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  patch TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
  note TEXT NOT NULL DEFAULT '',
  at REAL NOT NULL
);
CREATE TABLE verdict_metrics (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  metric TEXT NOT NULL,
  predicted TEXT NOT NULL DEFAULT '',
  observed REAL,
  lo REAL,
  hi REAL,
  judgement TEXT NOT NULL DEFAULT ''
);
CREATE TABLE receipts (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  item TEXT NOT NULL,
  ok INTEGER NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
)SQL",
    // v2: builds remember the hash of their inputs (source tree, patch series,
    // headers, toolchain) so rebuilding identical inputs reuses the stored build.
    R"SQL(
ALTER TABLE builds ADD COLUMN inputs_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX builds_inputs ON builds(inputs_hash);
)SQL",
    // v3: indexes for reading many runs fast (history, the nightly trend, one
    // run's report): newest-first listings by time and by kind, the rows that
    // hang off a run, and "first seen" lookups of kernel-log fingerprints.
    R"SQL(
CREATE INDEX runs_started ON runs(started_at);
CREATE INDEX runs_kind_started ON runs(kind, started_at);
CREATE INDEX artifacts_run ON artifacts(run_id);
CREATE INDEX receipts_run ON receipts(run_id);
CREATE INDEX verdict_metrics_run ON verdict_metrics(run_id);
CREATE INDEX kernel_events_fingerprint ON kernel_events(fingerprint);
)SQL",
    // v4: the channel a kernel-log record came in by: 'kmsg' (the SSH stream
    // of /dev/kmsg) or 'netconsole' (UDP from the board's netconsole module,
    // the second channel that survives a dead management link or a panic).
    R"SQL(
ALTER TABLE kmsg ADD COLUMN channel TEXT NOT NULL DEFAULT 'kmsg';
)SQL",
};

}  // namespace

int schema_version() { return static_cast<int>(k_migrations.size()); }

void migrate(Db& db) {
    Stmt get(db, "PRAGMA user_version");
    get.step();
    int current = static_cast<int>(get.get_int(0));
    get.reset();
    if (current > schema_version())
        throw_infra(db.path().string() + ": store schema version " + std::to_string(current) +
                    " is newer than this besrig understands (" + std::to_string(schema_version()) +
                    "); upgrade besrig");
    while (current < schema_version()) {
        Transaction tx(db);
        db.exec(k_migrations[static_cast<std::size_t>(current)]);
        ++current;
        db.exec("PRAGMA user_version=" + std::to_string(current));
        tx.commit();
    }
}

}  // namespace besrig

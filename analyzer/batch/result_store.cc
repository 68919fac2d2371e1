#include "analyzer/batch/result_store.h"

#include "analyzer/batch/schema.h"

namespace apkwarden::batch {

namespace {

std::string insert_sql(const Table& t) {
  std::string cols, params;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    cols += std::string(i ? ", " : "") + t.columns[i].name;
    params += std::string(i ? ", " : "") + "$" + std::to_string(i + 1);
  }
  return "INSERT INTO " + std::string(t.name) + " (" + cols + ") VALUES (" + params + ")";
}

std::string select_sql(const Table& t) {
  std::string cols;
  for (size_t i = 0; i < t.columns.size(); ++i) cols += std::string(i ? ", " : "") + t.columns[i].name;
  return "SELECT " + cols + " FROM " + t.name + " WHERE sha256 = $1 AND ruleset = $2 ORDER BY " + t.order_by;
}

}  // namespace

Result<std::unique_ptr<ResultStore>> ResultStore::open(const std::string& location) {
  auto db = open_database(location);
  if (!db.ok()) return db.error();
  std::unique_ptr<ResultStore> store(new ResultStore(std::move(db.value())));
  // Shards starting together on one PostgreSQL server may race to create the tables: the loser
  // of a CREATE race fails once and finds them there on the retry.
  std::optional<Error> err;
  for (int attempt = 0; attempt < 3; ++attempt) {
    err = store->db_->exec(schema_sql());
    if (!err) break;
  }
  if (err) return make_error(ErrorCode::kIo, "cannot create the store's tables: " + err->message);
  auto version = store->db_->query("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!version.ok()) return version.error();
  const std::string ours = std::to_string(kStoreSchemaVersion);
  if (version->empty()) {
    if (auto e = store->db_->exec("INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING",
                                  {ours}))
      return *e;
  } else if (version->front()[0] != ours) {
    return make_error(ErrorCode::kUnsupported, "the store has schema version " + version->front()[0].value_or("?") +
                                                   ", this apkwarden writes version " + ours);
  }
  return store;
}

Result<std::set<std::string>> ResultStore::scanned(const std::string& ruleset, bool ok_only) {
  auto rows = db_->query(std::string("SELECT sha256 FROM apps WHERE ruleset = $1") +
                             (ok_only ? " AND status = 'ok'" : ""),
                         {ruleset});
  if (!rows.ok()) return rows.error();
  std::set<std::string> out;
  for (const Row& r : *rows)
    if (r[0]) out.insert(*r[0]);
  return out;
}

std::optional<Error> ResultStore::save(const AppRecord& record) {
  if (auto e = db_->exec("BEGIN")) return e;
  auto fail = [&](Error e) -> std::optional<Error> {
    (void)db_->exec("ROLLBACK");
    return e;
  };
  const Row key{record.key.sha256, record.key.ruleset};
  for (const Table& t : store_tables())
    if (auto e = db_->exec("DELETE FROM " + std::string(t.name) + " WHERE sha256 = $1 AND ruleset = $2", key))
      return fail(*e);
  for (const Table& t : store_tables()) {
    auto it = record.rows.find(t.name);
    if (it == record.rows.end()) continue;
    const std::string sql = insert_sql(t);
    for (const Row& row : it->second)
      if (auto e = db_->exec(sql, row)) return fail(*e);
  }
  if (auto e = db_->exec("COMMIT")) return fail(*e);
  return std::nullopt;
}

Result<std::vector<AppKey>> ResultStore::keys() {
  auto rows = db_->query("SELECT sha256, ruleset FROM apps ORDER BY sha256, ruleset");
  if (!rows.ok()) return rows.error();
  std::vector<AppKey> out;
  for (const Row& r : *rows) out.push_back({r[0].value_or(""), r[1].value_or("")});
  return out;
}

Result<AppRecord> ResultStore::load(const AppKey& key) {
  AppRecord rec;
  rec.key = key;
  for (const Table& t : store_tables()) {
    auto rows = db_->query(select_sql(t), {key.sha256, key.ruleset});
    if (!rows.ok()) return rows.error();
    if (!rows->empty()) rec.rows[t.name] = std::move(rows.value());
  }
  if (!rec.rows.count("apps")) return make_error(ErrorCode::kIo, "no app " + key.sha256 + " in the store");
  return rec;
}

}  // namespace apkwarden::batch

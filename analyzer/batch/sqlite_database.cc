// The SQLite engine: WAL journal (readers never block the writer, a killed writer loses only its
// open transaction), NORMAL synchronous (durable at checkpoints, never corrupt), and a busy
// timeout so several processes can share one file.
#include "analyzer/batch/database.h"
#include "analyzer/batch/sqlite_library.h"

namespace apkwarden::batch {

namespace {

constexpr int kBusyTimeoutMs = 60'000;

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const Sqlite& sq, sqlite3* db) : sq_(sq), db_(db) {}
  ~SqliteDatabase() override { sq_.close_v2(db_); }

  std::optional<Error> exec(const std::string& sql, const Row& params) override {
    auto rows = run(sql, params, /*collect=*/false);
    if (!rows.ok()) return rows.error();
    return std::nullopt;
  }

  Result<std::vector<Row>> query(const std::string& sql, const Row& params) override {
    return run(sql, params, /*collect=*/true);
  }

  const char* engine() const override { return "sqlite"; }

 private:
  Error error(const std::string& what) const {
    return make_error(ErrorCode::kIo, what + ": " + sq_.errmsg(db_));
  }

  Result<std::vector<Row>> run(const std::string& sql, const Row& params, bool collect) {
    std::vector<Row> rows;
    const char* tail = sql.c_str();
    // Several statements separated by ';' run in order (schema scripts); parameters bind by
    // name ($1, $2, …) in each statement that uses them.
    while (tail && *tail) {
      sqlite3_stmt* stmt = nullptr;
      if (sq_.prepare_v2(db_, tail, -1, &stmt, &tail) != SQLITE_OK) return error("SQL error");
      if (!stmt) break;  // trailing whitespace or comment
      for (size_t i = 0; i < params.size(); ++i) {
        const std::string name = "$" + std::to_string(i + 1);
        const int index = sq_.bind_parameter_index(stmt, name.c_str());
        if (index == 0) continue;
        const int rc = params[i] ? sq_.bind_text(stmt, index, params[i]->data(),
                                                     static_cast<int>(params[i]->size()), SQLITE_TRANSIENT)
                                 : sq_.bind_null(stmt, index);
        if (rc != SQLITE_OK) {
          sq_.finalize(stmt);
          return error("cannot bind a parameter");
        }
      }
      int rc;
      while ((rc = sq_.step(stmt)) == SQLITE_ROW) {
        if (!collect) continue;
        Row row;
        const int n = sq_.column_count(stmt);
        for (int c = 0; c < n; ++c) {
          if (sq_.column_type(stmt, c) == SQLITE_NULL) {
            row.emplace_back(std::nullopt);
          } else {
            const auto* text = reinterpret_cast<const char*>(sq_.column_text(stmt, c));
            row.emplace_back(std::string(text, static_cast<size_t>(sq_.column_bytes(stmt, c))));
          }
        }
        rows.push_back(std::move(row));
      }
      sq_.finalize(stmt);
      if (rc != SQLITE_DONE) return error("SQL error");
    }
    return rows;
  }

  const Sqlite& sq_;
  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path) {
  std::string no_sqlite;
  const Sqlite* sq = sqlite(&no_sqlite);
  if (!sq) return make_error(ErrorCode::kIo, no_sqlite);
  sqlite3* db = nullptr;
  const int rc = sq->open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sq->errmsg(db) : "out of memory";
    sq->close_v2(db);
    return make_error(ErrorCode::kIo, "cannot open the SQLite store: " + message);
  }
  sq->busy_timeout(db, kBusyTimeoutMs);
  auto database = std::make_unique<SqliteDatabase>(*sq, db);
  if (auto err = database->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;", {}))
    return make_error(ErrorCode::kIo, "not a usable SQLite store: " + err->message);
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace apkwarden::batch

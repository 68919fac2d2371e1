// The PostgreSQL engine over libpq (loaded on first use): text parameters and results, one
// connection per process.
#include "analyzer/batch/database.h"
#include "analyzer/batch/libpq_library.h"

namespace apkwarden::batch {

namespace {

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(const LibPq& pq, PGconn* conn) : pq_(pq), conn_(conn) {}
  ~PostgresDatabase() override { pq_.finish(conn_); }

  std::optional<Error> exec(const std::string& sql, const Row& params) override {
    auto rows = run(sql, params);
    if (!rows.ok()) return rows.error();
    return std::nullopt;
  }

  Result<std::vector<Row>> query(const std::string& sql, const Row& params) override { return run(sql, params); }

  const char* engine() const override { return "postgresql"; }

 private:
  Result<std::vector<Row>> run(const std::string& sql, const Row& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Value& v : params) values.push_back(v ? v->c_str() : nullptr);
    // Without parameters, PQexec accepts several statements (schema scripts).
    PGresult* res = params.empty()
                        ? pq_.exec(conn_, sql.c_str())
                        : pq_.exec_params(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                       values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = pq_.result_status(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string message = pq_.result_error_message(res);
      pq_.clear(res);
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
      return make_error(ErrorCode::kIo, "PostgreSQL error: " + message);
    }
    std::vector<Row> rows;
    const int n = pq_.ntuples(res), m = pq_.nfields(res);
    rows.reserve(static_cast<size_t>(n));
    for (int r = 0; r < n; ++r) {
      Row row;
      row.reserve(static_cast<size_t>(m));
      for (int c = 0; c < m; ++c) {
        if (pq_.getisnull(res, r, c)) row.emplace_back(std::nullopt);
        else row.emplace_back(std::string(pq_.getvalue(res, r, c), static_cast<size_t>(pq_.getlength(res, r, c))));
      }
      rows.push_back(std::move(row));
    }
    pq_.clear(res);
    return rows;
  }

  const LibPq& pq_;
  PGconn* conn_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const std::string& conninfo) {
  std::string load_error;
  const LibPq* pq = libpq(&load_error);
  if (!pq) return make_error(ErrorCode::kIo, load_error);
  PGconn* conn = pq->connectdb(conninfo.c_str());
  if (pq->status(conn) != CONNECTION_OK) {
    std::string message = pq->error_message(conn);
    pq->finish(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return make_error(ErrorCode::kIo, "cannot connect to PostgreSQL: " + message);
  }
  auto database = std::make_unique<PostgresDatabase>(*pq, conn);
  if (auto err = database->exec("SET client_min_messages = warning", {})) return *err;
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace apkwarden::batch

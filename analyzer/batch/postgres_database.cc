// The PostgreSQL engine over libpq: text parameters and results, one connection per process.
#include <libpq-fe.h>

#include "analyzer/batch/database.h"

namespace apkwarden::batch {

namespace {

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(PGconn* conn) : conn_(conn) {}
  ~PostgresDatabase() override { PQfinish(conn_); }

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
                        ? PQexec(conn_, sql.c_str())
                        : PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                       values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string message = PQresultErrorMessage(res);
      PQclear(res);
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
      return make_error(ErrorCode::kIo, "PostgreSQL error: " + message);
    }
    std::vector<Row> rows;
    const int n = PQntuples(res), m = PQnfields(res);
    rows.reserve(static_cast<size_t>(n));
    for (int r = 0; r < n; ++r) {
      Row row;
      row.reserve(static_cast<size_t>(m));
      for (int c = 0; c < m; ++c) {
        if (PQgetisnull(res, r, c)) row.emplace_back(std::nullopt);
        else row.emplace_back(std::string(PQgetvalue(res, r, c), static_cast<size_t>(PQgetlength(res, r, c))));
      }
      rows.push_back(std::move(row));
    }
    PQclear(res);
    return rows;
  }

  PGconn* conn_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return make_error(ErrorCode::kIo, "cannot connect to PostgreSQL: " + message);
  }
  auto database = std::make_unique<PostgresDatabase>(conn);
  if (auto err = database->exec("SET client_min_messages = warning", {})) return *err;
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace apkwarden::batch

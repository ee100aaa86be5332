#include "reports/store/sqlite.hpp"

#include <sqlite3.h>

#include "util/error.hpp"

namespace besrig {

void Stmt::Finalize::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
void Db::Close::operator()(sqlite3* d) const { sqlite3_close_v2(d); }

Db::Db(const std::filesystem::path& path) : path_(path) {
    if (path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) throw_infra(path.parent_path().string() + ": cannot create the store's directory: " + ec.message());
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail("cannot open the store", "");
    sqlite3_busy_timeout(raw, 10000);
    Stmt(*this, "PRAGMA journal_mode=WAL").step();
    exec("PRAGMA foreign_keys=ON");
    exec("PRAGMA synchronous=NORMAL");
}

Db::~Db() = default;

void Db::fail(std::string_view what, std::string_view sql) const {
    std::string msg = path_.string() + ": " + std::string(what);
    if (db_) msg += ": " + std::string(sqlite3_errmsg(db_.get()));
    if (!sql.empty()) msg += " (SQL: " + std::string(sql.substr(0, 120)) + ")";
    throw_infra(msg);
}

void Db::exec(std::string_view sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw_infra(path_.string() + ": " + msg + " (SQL: " + std::string(sql.substr(0, 120)) + ")");
    }
}

std::int64_t Db::last_insert_id() const { return sqlite3_last_insert_rowid(db_.get()); }
int Db::changes() const { return sqlite3_changes(db_.get()); }

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db), sql_(sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.handle(), sql_.c_str(), static_cast<int>(sql_.size()), &raw, nullptr) != SQLITE_OK)
        db.fail("cannot prepare", sql_);
    stmt_.reset(raw);
}

Stmt& Stmt::bind(int index, std::int64_t v) {
    if (sqlite3_bind_int64(stmt_.get(), index, v) != SQLITE_OK) db_->fail("cannot bind", sql_);
    return *this;
}
Stmt& Stmt::bind(int index, double v) {
    if (sqlite3_bind_double(stmt_.get(), index, v) != SQLITE_OK) db_->fail("cannot bind", sql_);
    return *this;
}
Stmt& Stmt::bind(int index, std::string_view v) {
    if (sqlite3_bind_text(stmt_.get(), index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("cannot bind", sql_);
    return *this;
}
Stmt& Stmt::bind_null(int index) {
    if (sqlite3_bind_null(stmt_.get(), index) != SQLITE_OK) db_->fail("cannot bind", sql_);
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail("statement failed", sql_);
}

void Stmt::exec() {
    while (step()) {
    }
    reset();
}

void Stmt::reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
std::int64_t Stmt::get_int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
double Stmt::get_double(int col) const { return sqlite3_column_double(stmt_.get(), col); }
std::string Stmt::get_text(int col) const {
    const auto* p = sqlite3_column_text(stmt_.get(), col);
    const int n = sqlite3_column_bytes(stmt_.get(), col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}
std::optional<std::int64_t> Stmt::get_opt_int(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::int64_t>(get_int(col));
}
std::optional<double> Stmt::get_opt_double(int col) const {
    return is_null(col) ? std::nullopt : std::optional<double>(get_double(col));
}
std::optional<std::string> Stmt::get_opt_text(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::string>(get_text(col));
}

Transaction::Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
        }
    }
}
void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace besrig

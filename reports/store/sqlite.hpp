// A small RAII wrapper over SQLite (after Nix libstore/sqlite.hh): one owner
// per handle and statement, bound parameters only, errors that carry the SQL
// and SQLite's own text. Never builds SQL from values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace besrig {

class Db;

class Stmt {
public:
    Stmt(Db& db, std::string_view sql);
    Stmt(Stmt&&) noexcept = default;
    Stmt& operator=(Stmt&&) noexcept = default;

    // Binds by 1-based position; chainable.
    Stmt& bind(int index, std::int64_t v);
    Stmt& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
    Stmt& bind(int index, double v);
    Stmt& bind(int index, std::string_view v);
    Stmt& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
    Stmt& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
    Stmt& bind_null(int index);
    template <typename T>
    Stmt& bind(int index, const std::optional<T>& v) {
        return v ? bind(index, *v) : bind_null(index);
    }

    // Steps once; true while a row is available.
    bool step();
    // Runs a statement that returns no rows.
    void exec();
    void reset();

    bool is_null(int col) const;
    std::int64_t get_int(int col) const;
    double get_double(int col) const;
    std::string get_text(int col) const;
    std::optional<std::int64_t> get_opt_int(int col) const;
    std::optional<double> get_opt_double(int col) const;
    std::optional<std::string> get_opt_text(int col) const;

private:
    struct Finalize {
        void operator()(sqlite3_stmt* s) const;
    };
    Db* db_;
    std::string sql_;
    std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

class Db {
public:
    // Opens (creating) the file; WAL, foreign keys on, a busy timeout.
    explicit Db(const std::filesystem::path& path);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(std::string_view sql);  // for schema statements without values
    std::int64_t last_insert_id() const;
    int changes() const;
    sqlite3* handle() const { return db_.get(); }
    const std::filesystem::path& path() const { return path_; }

    // Throws Error(Infra) with the SQL, the file and SQLite's message.
    [[noreturn]] void fail(std::string_view what, std::string_view sql) const;

private:
    struct Close {
        void operator()(sqlite3* d) const;
    };
    std::filesystem::path path_;
    std::unique_ptr<sqlite3, Close> db_;
};

// Begins IMMEDIATE on construction; rolls back unless commit() was called.
class Transaction {
public:
    explicit Transaction(Db& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Db& db_;
    bool done_ = false;
};

}  // namespace besrig

#include "phases/phase5/predictions_store.hpp"

#include <cstdio>

#include "util/error.hpp"
#include "util/sha256.hpp"
#include "util/terminal.hpp"

namespace besrig::phase5 {

std::vector<StoredPrediction> current_predictions(Store& store, const std::string& patch) {
    std::vector<StoredPrediction> out;
    Stmt q(store.db(),
           "SELECT id, metric, spec, baseline_run, created_at, frozen_at, hash FROM predictions"
           " WHERE patch = ? AND superseded = 0 ORDER BY id");
    q.bind(1, patch);
    while (q.step()) {
        StoredPrediction p;
        p.id = q.get_int(0);
        std::string error;
        const auto parsed = stats::parse_prediction(q.get_text(1) + "=" + q.get_text(2), error);
        if (!parsed) throw_infra(store.path().string() + ": stored prediction " + std::to_string(p.id) + ": " + error);
        p.prediction = *parsed;
        p.baseline_run = q.get_opt_int(3);
        p.created_at = q.get_double(4);
        p.frozen_at = q.get_opt_double(5);
        p.hash = q.get_text(6);
        out.push_back(std::move(p));
    }
    return out;
}

bool predictions_frozen(Store& store, const std::string& patch) {
    Stmt q(store.db(), "SELECT COUNT(*) FROM predictions WHERE patch = ? AND superseded = 0 AND frozen_at IS NOT NULL");
    q.bind(1, patch);
    q.step();
    return q.get_int(0) > 0;
}

std::string prediction_hash(const std::string& patch, std::optional<std::int64_t> baseline_run,
                            const std::vector<stats::Prediction>& predictions) {
    std::string canon = "besrig-prediction-v1\npatch=" + patch + "\nbaseline=" +
                        (baseline_run ? std::to_string(*baseline_run) : "none") + "\n";
    for (const auto& p : predictions) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s:%.17g:%.17g", p.relative ? "rel" : "abs", p.lo, p.hi);
        canon += p.metric + "=" + buf + "\n";
    }
    return sha256_hex(canon);
}

std::string record_predictions(Store& store, std::int64_t run_id, const std::string& patch,
                               const std::vector<stats::Prediction>& predictions,
                               std::optional<std::int64_t> baseline_run) {
    if (predictions.empty()) throw_usage("no predictions given (--predict METRIC=RANGE)");
    if (predictions_frozen(store, patch)) {
        std::string frozen;
        for (const auto& p : current_predictions(store, patch))
            frozen += (frozen.empty() ? "" : ", ") + p.prediction.metric + "=" + p.prediction.spec;
        store.log(run_id, "error", "predict", "refused: predictions of patch " + patch +
                                                  " are frozen since Phase 7 started (" + frozen + ")");
        throw_usage("the predictions of patch " + patch + " are frozen since its Phase 7 started (" + frozen +
                    "); a prediction cannot be changed after the fact. The attempt is logged on run " +
                    std::to_string(run_id));
    }
    const std::string hash = prediction_hash(patch, baseline_run, predictions);
    const double now = unix_now();
    Transaction tx(store.db());
    Stmt old(store.db(), "UPDATE predictions SET superseded = 1 WHERE patch = ? AND superseded = 0");
    old.bind(1, patch).exec();
    for (const auto& p : predictions) {
        Stmt ins(store.db(),
                 "INSERT INTO predictions (patch, metric, spec, lo, hi, baseline_run, created_at, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, patch).bind(2, p.metric).bind(3, p.spec).bind(4, p.lo).bind(5, p.hi).bind(6, baseline_run)
            .bind(7, now).bind(8, hash).exec();
    }
    tx.commit();
    store.log(run_id, "info", "predict", "recorded " + std::to_string(predictions.size()) +
                                             " prediction(s) for patch " + patch + ", hash " + hash);
    return hash;
}

int freeze_predictions(Store& store, const std::string& patch) {
    Stmt q(store.db(), "UPDATE predictions SET frozen_at = ? WHERE patch = ? AND superseded = 0 AND frozen_at IS NULL");
    q.bind(1, unix_now()).bind(2, patch).exec();
    return store.db().changes();
}

void record_review(Store& store, const std::string& patch, const std::string& decision, const std::string& note) {
    if (decision != "approve" && decision != "reject")
        throw_usage("review decision " + decision + ": expected approve or reject");
    Stmt q(store.db(), "INSERT INTO reviews (patch, decision, note, at) VALUES (?, ?, ?, ?)");
    q.bind(1, patch).bind(2, decision).bind(3, note).bind(4, unix_now()).exec();
}

std::optional<std::int64_t> latest_baseline(Store& store, const std::string& rig, const std::string& profile) {
    Stmt q(store.db(),
           "SELECT id FROM runs WHERE is_baseline = 1 AND status = 'finished' AND rig = ? AND profile = ?"
           " ORDER BY started_at DESC, id DESC LIMIT 1");
    q.bind(1, rig).bind(2, profile);
    if (q.step()) return q.get_int(0);
    return std::nullopt;
}

}  // namespace besrig::phase5

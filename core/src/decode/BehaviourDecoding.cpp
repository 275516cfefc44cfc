#include "neurolens/decode/BehaviourDecoding.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/Lasso.h"
#include "neurolens/decode/Ridge.h"
#include "neurolens/embed/FeatureInput.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/sim/Random.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace neurolens {
namespace {

class RidgeRegressor : public BehaviourRegressor {
public:
    explicit RidgeRegressor(const Parameters& p) : ridge_(p.number("alpha")) {}
    void fit(const RowMatrixXf& rows, const Eigen::VectorXd& y, Progress&) override
    {
        ridge_.fit(rows, y.cast<float>());
    }
    Eigen::VectorXd predict(const RowMatrixXf& rows, Progress&) const override
    {
        return ridge_.predict(rows).col(0).cast<double>();
    }

private:
    Ridge ridge_;
};

class LassoRegressor : public BehaviourRegressor {
public:
    explicit LassoRegressor(const Parameters& p) : lasso_({p.number("alpha"), 1000, 1e-4}) {}
    void fit(const RowMatrixXf& rows, const Eigen::VectorXd& y, Progress& progress) override
    {
        lasso_.fit(rows, y, progress);
    }
    Eigen::VectorXd predict(const RowMatrixXf& rows, Progress&) const override
    {
        return lasso_.predict(rows);
    }

private:
    Lasso lasso_;
};

// The mean behaviour of the k nearest training samples by cosine similarity (scikit-learn's
// KNeighborsRegressor with metric="cosine"); brute force in blocks of queries.
class KnnRegressor : public BehaviourRegressor {
public:
    explicit KnnRegressor(const Parameters& p) : k_(p.integer("k")) {}
    void fit(const RowMatrixXf& rows, const Eigen::VectorXd& y, Progress&) override
    {
        train_ = normalised(rows);
        y_ = y;
    }
    Eigen::VectorXd predict(const RowMatrixXf& rows, Progress& progress) const override
    {
        const RowMatrixXf q = normalised(rows);
        const Eigen::Index n = q.rows(), m = train_.rows(), k = std::min<Eigen::Index>(k_, m);
        Eigen::VectorXd out(n);
        constexpr Eigen::Index kBlock = 256;
        std::vector<Eigen::Index> order(static_cast<std::size_t>(m));
        for (Eigen::Index q0 = 0; q0 < n; q0 += kBlock) {
            progress.checkCancelled();
            const Eigen::Index b = std::min(kBlock, n - q0);
            const RowMatrixXf sim = q.middleRows(q0, b) * train_.transpose();
            for (Eigen::Index i = 0; i < b; ++i) {
                std::iota(order.begin(), order.end(), Eigen::Index(0));
                // Ties by lower training index, so the result does not depend on the sort.
                std::partial_sort(order.begin(), order.begin() + k, order.end(),
                                  [&](Eigen::Index a, Eigen::Index c) {
                                      const float sa = sim(i, a), sc = sim(i, c);
                                      return sa > sc || (sa == sc && a < c);
                                  });
                double sum = 0;
                for (Eigen::Index j = 0; j < k; ++j) sum += y_[order[std::size_t(j)]];
                out[q0 + i] = k > 0 ? sum / double(k) : 0.0;
            }
            progress.report(double(q0 + b), double(n), "kNN");
        }
        return out;
    }

private:
    static RowMatrixXf normalised(const RowMatrixXf& rows)
    {
        RowMatrixXf out = rows;
        for (Eigen::Index i = 0; i < out.rows(); ++i) {
            const float norm = out.row(i).norm();
            if (norm > 0) out.row(i) /= norm;
        }
        return out;
    }
    int k_;
    RowMatrixXf train_;
    Eigen::VectorXd y_;
};

ParameterSpec real(const std::string& name, const std::string& title, const std::string& help,
                   double value, double maximum)
{
    return {name, title, help, ParameterSpec::Kind::Real, value, 0, maximum, false, true, {}};
}

// The rows of `repeats` whose behaviour is known, and that behaviour (shifted per repeat by
// `shifts` bins when given: the shuffle control).
void knownRows(const RowMatrixXf& rows, const std::vector<float>& behaviour, int bins,
               const std::vector<int>& repeats, const std::vector<int>& shifts, RowMatrixXf& X,
               Eigen::VectorXd& y)
{
    std::vector<Eigen::Index> keep;
    std::vector<double> values;
    for (std::size_t k = 0; k < repeats.size(); ++k) {
        const std::size_t base = std::size_t(repeats[k]) * std::size_t(bins);
        const int shift = shifts.empty() ? 0 : shifts[k];
        for (int b = 0; b < bins; ++b) {
            const float v = behaviour[base + std::size_t((b + shift) % bins)];
            if (std::isnan(v)) continue;
            keep.push_back(Eigen::Index(base) + b);
            values.push_back(v);
        }
    }
    X.resize(Eigen::Index(keep.size()), rows.cols());
    for (std::size_t i = 0; i < keep.size(); ++i) X.row(Eigen::Index(i)) = rows.row(keep[i]);
    y = Eigen::Map<const Eigen::VectorXd>(values.data(), Eigen::Index(values.size()));
}

}  // namespace

const std::vector<BehaviourRegressorSpec>& behaviourRegressors()
{
    static const std::vector<BehaviourRegressorSpec> specs = [] {
        std::vector<BehaviourRegressorSpec> s(3);
        s[0].name = "ridge";
        s[0].title = "Ridge regression";
        s[0].help = "Linear, L2-penalised (scikit-learn's Ridge on the standardised behaviour)";
        s[0].parameters = {real("alpha", "Alpha",
                                "L2 penalty (chosen on the last training "
                                "repeat unless given)",
                                10, 1e12)};
        s[0].tuned = "alpha";
        s[0].candidates = {0.1, 1, 10, 100, 1e3, 1e4, 1e5};
        s[0].make = [](const Parameters& p) { return std::make_unique<RidgeRegressor>(p); };
        s[1].name = "lasso";
        s[1].title = "Lasso regression";
        s[1].help = "Linear, L1-penalised: few units carry the prediction";
        s[1].parameters = {real("alpha", "Alpha",
                                "L1 penalty on the standardised behaviour "
                                "(chosen on the last training repeat unless "
                                "given)",
                                0.01, 1e6)};
        s[1].tuned = "alpha";
        s[1].candidates = {0.001, 0.003, 0.01, 0.03, 0.1, 0.3};
        s[1].make = [](const Parameters& p) { return std::make_unique<LassoRegressor>(p); };
        s[2].name = "knn";
        s[2].title = "kNN regression";
        s[2].help = "Mean of the k nearest training samples (cosine), as CEBRA decodes";
        s[2].parameters = {{"k",
                            "k",
                            "Neighbours (chosen on the last training repeat unless given)",
                            ParameterSpec::Kind::Integer,
                            25,
                            1,
                            10000,
                            false,
                            true,
                            {}}};
        s[2].tuned = "k";
        s[2].candidates = {1, 5, 10, 25, 50, 100};
        s[2].make = [](const Parameters& p) { return std::make_unique<KnnRegressor>(p); };
        return s;
    }();
    return specs;
}

const BehaviourRegressorSpec& behaviourRegressor(const std::string& name)
{
    std::vector<std::string> names;
    for (const auto& s : behaviourRegressors()) {
        if (s.name == name) return s;
        names.push_back(s.name);
    }
    throw UsageError("unknown behaviour decoder '" + name + "' (" + alternatives(names) + ")");
}

BehaviourScores scoreBehaviour(const std::vector<double>& predicted,
                               const std::vector<double>& truth)
{
    BehaviourScores s;
    double sy = 0, sp = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
        if (!std::isnan(truth[i])) sy += truth[i], sp += predicted[i], ++s.samples;
    if (s.samples == 0) return s;
    const double my = sy / s.samples, mp = sp / s.samples;
    double sse = 0, sst = 0, spp = 0, spy = 0, sae = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (std::isnan(truth[i])) continue;
        const double e = predicted[i] - truth[i], dy = truth[i] - my, dp = predicted[i] - mp;
        sse += e * e, sst += dy * dy, spp += dp * dp, spy += dp * dy, sae += std::abs(e);
    }
    s.r2 = sst > 0 ? 1 - sse / sst : 0.0;
    s.pearson = sst > 0 && spp > 0 ? spy / std::sqrt(sst * spp) : 0.0;
    s.mae = sae / s.samples;
    s.rmse = std::sqrt(sse / s.samples);
    return s;
}

BehaviourDecodeResult decodeBehaviour(const Recording& rec, const BehaviourDecodeOptions& o,
                                      Progress& progress)
{
    const DecodingRepeats repeats =
        decodingRepeats(rec.responses.repeats(), o.trainRepeats, o.testRepeats);
    SubProgress featureProgress(progress, 0.0, 0.1), rest(progress, 0.1, 1.0);
    const RowMatrixXf rows =
        featureRows(rec, FeatureInput::parse(o.features), repeats.train, featureProgress);
    return decodeBehaviour(rec, rows, o, rest);
}

BehaviourDecodeResult decodeBehaviour(const Recording& rec, const RowMatrixXf& rows,
                                      const BehaviourDecodeOptions& o, Progress& progress)
{
    const Responses& r = rec.responses;
    const int B = r.bins();
    BehaviourDecodeResult result;
    const DecodingRepeats split = decodingRepeats(r.repeats(), o.trainRepeats, o.testRepeats);
    result.trainRepeats = split.train;
    result.testRepeats = split.test;
    const auto found = rec.behaviour.find(o.behaviour);
    if (found == rec.behaviour.end()) {
        std::vector<std::string> names;
        for (const auto& [n, v] : rec.behaviour) names.push_back(n);
        throw UsageError("no behaviour '" + o.behaviour + "' in this recording" +
                         (names.empty() ? std::string(" (it has none)")
                                        : " (it has " + alternatives(names) + ")"));
    }
    if (rows.rows() != r.samples())
        throw UsageError("the features have " + std::to_string(rows.rows()) +
                         " rows, the recording " + std::to_string(r.samples()) + " samples");
    const std::vector<float>& behaviour = found->second;
    const BehaviourRegressorSpec& spec = behaviourRegressor(o.model);
    Parameters parameters = resolveParameters(spec.name, spec.parameters, o.parameters);
    result.featureDims = int(rows.cols());

    // Fits on the training samples (standardised behaviour) and predicts `targets` in the
    // behaviour's units.
    const auto fitPredict = [&](const Parameters& p, const RowMatrixXf& X, const Eigen::VectorXd& y,
                                const std::vector<const RowMatrixXf*>& targets, Progress& pr) {
        if (y.size() < 2)
            throw UsageError("behaviour '" + o.behaviour +
                             "' is known in fewer than two training samples");
        const double mean = y.mean(),
                     sd = std::sqrt((y.array() - mean).square().sum() / double(y.size()));
        const double scale = sd > 0 ? sd : 1.0;
        const std::unique_ptr<BehaviourRegressor> model = spec.make(p);
        model->fit(X, (y.array() - mean) / scale, pr);
        std::vector<std::vector<double>> out;
        for (const RowMatrixXf* t : targets) {
            const Eigen::VectorXd v = model->predict(*t, pr).array() * scale + mean;
            out.emplace_back(v.data(), v.data() + v.size());
        }
        return out;
    };
    const auto known = [&](const std::vector<int>& repeats, const std::vector<int>& shifts,
                           RowMatrixXf& X, Eigen::VectorXd& y) {
        knownRows(rows, behaviour, B, repeats, shifts, X, y);
    };
    const auto asVector = [](const Eigen::VectorXd& v) {
        return std::vector<double>(v.data(), v.data() + v.size());
    };

    // The tuned parameter, on the last training repeat (the others fitted), unless given.
    if (!spec.tuned.empty() && !o.parameters.has(spec.tuned) && result.trainRepeats.size() > 1) {
        const std::vector<int> inner(result.trainRepeats.begin(), result.trainRepeats.end() - 1),
            last{result.trainRepeats.back()};
        RowMatrixXf Xi, Xl;
        Eigen::VectorXd yi, yl;
        known(inner, {}, Xi, yi);
        known(last, {}, Xl, yl);
        // Scored by the error, not R²: a last repeat where the behaviour is constant (a mouse that
        // never ran) has no variance to explain, but errors still rank the candidates. Too few
        // known samples on either side: the default stays.
        if (yi.size() >= 2 && yl.size() >= 1) {
            double best = std::numeric_limits<double>::infinity();
            for (std::size_t c = 0; c < spec.candidates.size(); ++c) {
                progress.checkCancelled();
                SubProgress pr(progress, 0.3 * double(c) / double(spec.candidates.size()),
                               0.3 * double(c + 1) / double(spec.candidates.size()));
                Parameters p = parameters;
                p.numbers[spec.tuned] = spec.candidates[c];
                const double error =
                    scoreBehaviour(fitPredict(p, Xi, yi, {&Xl}, pr)[0], asVector(yl)).rmse;
                if (error < best) best = error, parameters.numbers[spec.tuned] = spec.candidates[c];
            }
            result.tuned = spec.tuned;
        }
    }
    if (!spec.tuned.empty()) result.tunedValue = parameters.number(spec.tuned);
    result.options = o;
    result.options.parameters = parameters;
    result.options.trainRepeats = result.trainRepeats;
    result.options.testRepeats = result.testRepeats;

    RowMatrixXf Xtrain;
    Eigen::VectorXd ytrain;
    known(result.trainRepeats, {}, Xtrain, ytrain);
    const RowMatrixXf Xtest = gatherRepeats(rows, result.testRepeats, B);
    for (int rep : result.testRepeats)
        for (int b = 0; b < B; ++b)
            result.truth.push_back(behaviour[std::size_t(rep) * std::size_t(B) + std::size_t(b)]);
    const int steps = 1 + o.shuffles;
    SubProgress fitProgress(progress, 0.3, 0.3 + 0.7 / steps);
    const auto p = fitPredict(parameters, Xtrain, ytrain, {&Xtrain, &Xtest}, fitProgress);
    result.train = scoreBehaviour(p[0], asVector(ytrain));
    result.predicted = p[1];
    result.test = scoreBehaviour(p[1], result.truth);
    result.chance =
        scoreBehaviour(std::vector<double>(result.truth.size(), ytrain.mean()), result.truth);

    // Shuffle control: each training repeat's behaviour circularly shifted, refitted (the same
    // setting), tested on the true behaviour.
    const Random root(o.seed);
    for (int s = 0; s < o.shuffles; ++s) {
        progress.checkCancelled();
        Random rng = root.split(std::uint64_t(s));
        std::vector<int> shifts;
        for (std::size_t i = 0; i < result.trainRepeats.size(); ++i)
            shifts.push_back(1 + int(rng.below(std::uint64_t(std::max(1, B - 1)))));
        RowMatrixXf Xs;
        Eigen::VectorXd ys;
        known(result.trainRepeats, shifts, Xs, ys);
        SubProgress pr(progress, 0.3 + 0.7 * (s + 1) / steps, 0.3 + 0.7 * (s + 2) / steps);
        const BehaviourScores sc =
            scoreBehaviour(fitPredict(parameters, Xs, ys, {&Xtest}, pr)[0], result.truth);
        result.shuffleMean.r2 += sc.r2 / o.shuffles;
        result.shuffleMean.pearson += sc.pearson / o.shuffles;
        result.shuffleMean.mae += sc.mae / o.shuffles;
        result.shuffleMean.rmse += sc.rmse / o.shuffles;
        result.shuffleMean.samples = sc.samples;
        result.shuffleBeatFraction += (sc.r2 >= result.test.r2 ? 1.0 : 0.0) / o.shuffles;
    }
    result.shuffles = o.shuffles;
    progress.report(1, 1, "behaviour decoded");
    return result;
}

}  // namespace neurolens

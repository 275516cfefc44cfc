#include "ReportWriter.h"

#include "ReportFigures.h"

#include "neurolens/data/Error.h"
#include "neurolens/io/Provenance.h"
#include "neurolens/io/ResultTables.h"
#include "neurolens/study/Study.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

namespace neurolens {
namespace {

nlohmann::json number(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

// A parameter's value as given (0.1, 1000, 25).
std::string general(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string fixed(double v, int digits = 3)
{
    if (!std::isfinite(v)) return "n/a";
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

nlohmann::json scores(const FrameScores& s)
{
    return {{"r2", number(s.r2)},
            {"mae", number(s.mae)},
            {"rmse", number(s.rmse)},
            {"accuracy", number(s.accuracy)},
            {"within_1s", number(s.within)}};
}

nlohmann::json scores(const BehaviourScores& s)
{
    return {{"r2", number(s.r2)},
            {"pearson", number(s.pearson)},
            {"mae", number(s.mae)},
            {"rmse", number(s.rmse)},
            {"samples", s.samples}};
}

nlohmann::json behaviourJson(const BehaviourDecodeResult& x)
{
    return {{"model", x.options.model},
            {"tuned", x.tuned.empty() ? nlohmann::json(nullptr) : nlohmann::json(x.tuned)},
            {"parameters", x.options.parameters.numbers},
            {"train", scores(x.train)},
            {"test", scores(x.test)},
            {"chance", scores(x.chance)},
            {"shuffles", x.shuffles},
            {"shuffle", x.shuffles ? scores(x.shuffleMean) : nlohmann::json(nullptr)},
            {"shuffle_beat_fraction",
             x.shuffles ? number(x.shuffleBeatFraction) : nlohmann::json(nullptr)}};
}

nlohmann::json split(const RepeatSplit& r)
{
    return {{"train", r.train}, {"validation", r.validation}, {"test", r.test}};
}

// What the numbers say about the seed's question: does CEBRA decode the held-out repeat better than
// the population baselines (kNN and naive Bayes at 33 and 330 ms) and than its shuffled-label
// controls?
std::string verdict(const StudyResults& s)
{
    if (s.cebra.rows() == 0) return {};
    const BaselineDecoding* best = nullptr;
    for (const BaselineDecoding& b : s.baselines)
        if (!best || b.within > best->within) best = &b;
    const double cebra = std::max(s.cebraKnn.within, s.cebraOneFrameKnn.within);
    std::string t = "On the held-out test repeat of this recording CEBRA decodes " + fixed(cebra) +
                    " of the frames within 1 s (" + s.cebraModel + " " + fixed(s.cebraKnn.within) +
                    ", 1-frame " + s.cebraOneFrameModel + " " + fixed(s.cebraOneFrameKnn.within) +
                    "; chance " + fixed(s.cebraKnn.chanceWithin) + "). ";
    if (best) {
        const bool beats = cebra > best->withinHigh;
        const bool below = cebra < best->withinLow;
        t +=
            "The best population baseline, " + best->name() + ", decodes " + fixed(best->within) +
            " (95 % interval " + fixed(best->withinLow) + "-" + fixed(best->withinHigh) +
            "): CEBRA " +
            (beats   ? "beats the kNN and Bayes baselines"
             : below ? "does not beat the kNN and Bayes baselines; it scores below the best of them"
                     : "does not beat the kNN and Bayes baselines; it is within the best one's "
                       "interval") +
            ". ";
    }
    if (!s.cebraControls.shuffleWithin.empty()) {
        double top = 0;
        for (double w : s.cebraControls.shuffleWithin) top = std::max(top, w);
        t += "Trained on shuffled labels, the same CEBRA reaches at most " + fixed(top) +
             " (permutation p " + fixed(s.cebraControls.shuffleP, 2) + " over " +
             std::to_string(s.cebraControls.shuffleWithin.size()) + " shuffles)";
        t += s.cebraKnn.within > top ? ", so its labels add what the shuffles lack. "
                                     : ", as much as the real model: its score is not evidence. ";
    }
    if (s.cebraControls.timeOnlyRan)
        t += "Without labels, CEBRA-Time decodes " + fixed(s.cebraControls.timeOnlyWithin) + ".";
    return t;
}

nlohmann::json knn(const KnnFrameDecoding& d)
{
    return {{"within_1s", d.within},
            {"mae", d.mae},
            {"k", d.k},
            {"chance_within_1s", d.chanceWithin},
            {"shuffle_within_1s", d.shuffles ? number(d.shuffleWithin) : nlohmann::json(nullptr)},
            {"shuffle_beat_fraction",
             d.shuffles ? number(d.shuffleBeatFraction) : nlohmann::json(nullptr)}};
}

nlohmann::json metricsOf(const StudyResults& s)
{
    const Responses& r = s.analysed.responses;
    nlohmann::json j;
    j["source"] = s.source;
    j["seed"] = s.options.seed;
    j["quick"] = s.options.quick;
    j["seconds"] = s.seconds;
    j["units_recorded"] = s.unitsBefore;
    j["units"] = r.units();
    j["repeats"] = r.repeats();
    j["frames"] = s.analysed.frames();
    j["bins_per_frame"] = r.binsPerFrame();
    j["samples"] = r.samples();
    nlohmann::json evr = nlohmann::json::array();
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(100, s.explainedVarianceRatio.size()); ++i)
        evr.push_back(s.explainedVarianceRatio(i));
    j["pca"] = {{"components_90", s.components90},
                {"components_95", s.components95},
                {"explained_variance_ratio_first_100", evr}};
    j["tsne"] = {{"dims", 2}, {"kl_divergence", s.tsneKl}};
    for (const StudyDecoding& d : s.decodings) {
        const DecodeResult& x = d.result;
        j["decoding"][d.name] = {
            {"title", d.title},
            {"train", scores(x.train)},
            {"test", scores(x.test)},
            {"chance", scores(x.chance)},
            {"shuffles", x.shuffles},
            {"shuffle", x.shuffles ? scores(x.shuffleMean) : nlohmann::json(nullptr)},
            {"shuffle_beat_fraction",
             x.shuffles ? number(x.shuffleBeatFraction) : nlohmann::json(nullptr)},
            {"feature_dims", x.featureDims}};
    }
    for (const StudySweep& sw : s.sweeps) {
        nlohmann::json points = nlohmann::json::array();
        for (const SweepPoint& p : sw.points)
            points.push_back(
                {{sw.parameter, p.value}, {"train", scores(p.train)}, {"test", scores(p.test)}});
        j["sweeps"][sw.name] = {
            {"title", sw.title}, {"parameter", sw.parameter}, {"points", points}};
    }
    if (!s.behaviourNotes.empty()) j["behaviour_notes"] = s.behaviourNotes;
    for (const StudyBehaviour& b : s.behaviour) {
        j["behaviour"][b.name]["raw"] = behaviourJson(b.raw);
        if (b.cebra) j["behaviour"][b.name]["cebra"] = behaviourJson(*b.cebra);
    }
    j["models_available"] = s.modelsAvailable;
    if (!s.modelsAvailable) j["models_note"] = s.modelsNote;
    for (const StudyVae& v : s.vaes) {
        const EpochRecord& last = v.history.back();
        double bestVal = -INFINITY;
        int bestEpoch = 0;
        for (const EpochRecord& e : v.history)
            if (e.values.count("val_r2") && e.values.at("val_r2") > bestVal)
                bestVal = e.values.at("val_r2"), bestEpoch = e.epoch;
        nlohmann::json e = {{"guidance", v.guidance},
                            {"epochs", last.epoch},
                            {"test_r2", number(v.testR2)},
                            {"best_val_r2", number(bestVal)},
                            {"best_epoch", bestEpoch}};
        for (const auto& [k, x] : last.values) e["final_" + k] = number(x);
        j["vae"].push_back(e);
    }
    if (s.cebra.rows() > 0) {
        j["cebra"] = {
            {"dims", s.cebraDims},
            {"iterations", s.cebraHistory.empty() ? 0 : int(s.cebraHistory.size()) * 100},
            {"final_loss", s.cebraHistory.empty()
                               ? nlohmann::json(nullptr)
                               : number(s.cebraHistory.back().values.at("loss"))},
            {"model", s.cebraModel},
            {"kept_step", s.cebraKeptStep},
            {"split", split(s.split)},
            {"knn", knn(s.cebraKnn)},
            {"raw", knn(s.rawKnn)},
            {"pca", knn(s.pcaKnn)},
            {"one_frame", {{"model", s.cebraOneFrameModel}, {"knn", knn(s.cebraOneFrameKnn)}}},
            {"encoder_shuffle_within_1s", s.cebraControls.shuffleWithin},
            {"encoder_shuffle_p", s.cebraControls.shuffleWithin.empty()
                                      ? nlohmann::json(nullptr)
                                      : number(s.cebraControls.shuffleP)},
            {"time_within_1s", s.cebraControls.timeOnlyRan ? number(s.cebraControls.timeOnlyWithin)
                                                           : nlohmann::json(nullptr)},
            {"verdict", verdict(s)}};
        for (const BaselineDecoding& b : s.baselines)
            j["cebra"]["baselines"][b.name()] = {
                {"within_1s", number(b.within)},
                {"within_1s_ci", {number(b.withinLow), number(b.withinHigh)}}};
        nlohmann::json curve = nlohmann::json::array();
        for (const CurvePoint& p : s.significance.curve)
            curve.push_back({{"method", p.method},
                             {"units", p.units},
                             {"mean", number(p.mean)},
                             {"sd", number(p.sd)},
                             {"runs", p.runs}});
        j["significance"] = {{"curve", curve},
                             {"chance_within_1s", number(s.significance.chanceWithin)},
                             {"seconds", s.significance.seconds}};
        auto units = [&](const AlignmentResult& a) {
            return nlohmann::json{{"r2", number(a.r2)},
                                  {"validation_r2", number(a.validationR2)},
                                  {"alpha", a.alpha}};
        };
        j["alignment"] = {
            {"cebra", units(s.alignCebra)}, {"pca", units(s.alignPca)}, {"model", "ridge"}};
        if (s.alignCebra.r2PerUnit.size() > 0) {
            Eigen::Index best = 0, worst = 0;
            s.alignCebra.r2PerUnit.maxCoeff(&best);
            s.alignCebra.r2PerUnit.minCoeff(&worst);
            j["alignment"]["best_unit"] = {{"id", s.analysed.units.id[std::size_t(best)]},
                                           {"r2", s.alignCebra.r2PerUnit(best)}};
            j["alignment"]["worst_unit"] = {{"id", s.analysed.units.id[std::size_t(worst)]},
                                            {"r2", s.alignCebra.r2PerUnit(worst)}};
        }
    }
    return j;
}

std::string html(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '&')
            out += "&amp;";
        else if (c == '"')
            out += "&quot;";
        else
            out += c;
    }
    return out;
}

// The one-paragraph reading of each figure, from the measured numbers.
std::map<std::string, std::string> readings(const StudyResults& s)
{
    const Responses& r = s.analysed.responses;
    std::map<std::string, std::string> m;
    m["responses"] =
        "Each row is one of the " + std::to_string(r.units()) +
        " units kept, its response averaged over the " + std::to_string(r.repeats()) +
        " repeats of the movie and scaled to its own maximum; units are ordered by their "
        "weight on the first principal component, so units that rise and fall together sit "
        "together. Vertical bands are "
        "moments of the movie that drive many units at once.";
    double first3 = 0;
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(3, s.explainedVarianceRatio.size()); ++i)
        first3 += s.explainedVarianceRatio(i);
    m["pca_3d"] =
        "Every sample (repeat x time bin) on the first three principal components, coloured by the "
        "movie frame on screen. "
        "The three components hold " +
        fixed(100 * first3, 1) +
        " % of the variance: a smooth progression of colour along the cloud "
        "means the population state follows the movie; a mixed cloud means single-sample responses "
        "are dominated by variability "
        "that repeats do not share.";
    m["explained_variance"] =
        "The cumulative share of the variance held by the leading components: " +
        std::to_string(s.components90) + " components reach 90 % and " +
        std::to_string(s.components95) + " reach 95 % of " + std::to_string(r.units()) +
        ". A slowly rising curve means the variance is spread over many dimensions (the report "
        "found 305 of 772 for 90 %).";
    m["tsne"] = "A 2D t-SNE of the samples (from the first 50 PCs; KL divergence " +
                fixed(s.tsneKl) +
                "). Clusters of one colour are frames the population tells apart consistently "
                "across repeats.";
    for (const StudyDecoding& d : s.decodings) {
        const DecodeResult& x = d.result;
        std::string t = d.title + " on repeats ";
        t += std::to_string(x.trainRepeats.front()) + "-" + std::to_string(x.trainRepeats.back()) +
             ", tested on repeat " + std::to_string(x.testRepeats.front()) + ": R² " +
             fixed(x.test.r2) + ", mean absolute error " + fixed(x.test.mae, 1) +
             " frames, exact frame " + fixed(x.test.accuracy) + ", within 1 s " +
             fixed(x.test.within) + " (chance " + fixed(x.chance.within) + ")";
        if (x.shuffles)
            t += "; with the training labels circularly shifted per repeat (" +
                 std::to_string(x.shuffles) + " shuffles) within 1 s falls to " +
                 fixed(x.shuffleMean.within) + ", and " + fixed(100 * x.shuffleBeatFraction, 0) +
                 " % of the shuffles reach the real score";
        t += ". On the training repeats: within 1 s " + fixed(x.train.within) + ", exact " +
             fixed(x.train.accuracy) +
             (x.train.accuracy > x.test.accuracy + 0.3
                  ? " — the model memorises the training repeats."
                  : ".");
        m[d.name] = t;
        m["frames_" + d.name] =
            "The first ten test-repeat samples: the true movie frame above, the decoded one below, "
            "with the error in "
            "frames. Decoded frames that look like the true one but carry another number are the "
            "movie's slow scenes, "
            "which no decoder can tell apart.";
    }
    for (const StudySweep& sw : s.sweeps) {
        const SweepPoint* best = nullptr;
        for (const SweepPoint& p : sw.points)
            if (!best || p.test.accuracy > best->test.accuracy) best = &p;
        std::string t = sw.title + ": train and test accuracy along " +
                        (sw.parameter == "C" ? "C" : "the number of components") + ". ";
        if (best)
            t += "The best test accuracy is " + fixed(best->test.accuracy) + " at " +
                 fixed(best->value, sw.parameter == "C" ? 3 : 0) + " (train " +
                 fixed(best->train.accuracy) + ", within 1 s " + fixed(best->test.within) + ").";
        m[sw.name + "_accuracy"] = t + " A wide gap between the curves is overfitting.";
        m[sw.name + "_mae"] =
            "The same sweep scored by the mean absolute error in frames (lower is better); chance "
            "is about a third of "
            "the movie's length.";
    }
    if (!s.vaes.empty()) {
        std::string t =
            "Reconstruction R² of the responses by each VAE, per epoch (solid: validation repeats, "
            "dashed: training repeats). ";
        for (const StudyVae& v : s.vaes)
            t += "Guidance " + v.guidance + ": test R² " + fixed(v.testR2) + ". ";
        m["vae_curves"] = t +
                          "Validation curves that turn down while training ones rise are "
                          "overfitting; the report ranked no guidance "
                          "above image features above frame ID.";
    }
    if (s.cebra.rows() > 0) {
        m["cebra_3d"] = "The CEBRA embedding (" + std::to_string(s.cebraDims) +
                        " dimensions on the unit sphere; the first three shown), "
                        "coloured by frame. CEBRA is trained to put samples with similar labels "
                        "close together, so colour should "
                        "change smoothly along it.";
        m["significance"] =
            "Frame decoding within 1 s on the test repeat against the number of neurons (drawn at "
            "random; lines: the mean "
            "over draws, points: each draw). " +
            verdict(s);
        m["cebra_decoding"] =
            "Frame decoding as the paper does (cosine kNN, k chosen on the validation repeats, "
            "tested on the test repeat, "
            "which CEBRA never trained on): "
            "CEBRA " +
            fixed(s.cebraKnn.within) + " within 1 s, the raw responses " + fixed(s.rawKnn.within) +
            ", PCA of the same "
            "dimension " +
            fixed(s.pcaKnn.within) + ", chance " + fixed(s.cebraKnn.chanceWithin) +
            (s.cebraKnn.shuffles ? ", CEBRA's embedding with shuffled training labels " +
                                       fixed(s.cebraKnn.shuffleWithin)
                                 : std::string()) +
            ".";
        m["alignment"] =
            "Does a decoder from the latents back to the neurons explain them? Ridge regression "
            "from CEBRA's latents explains a "
            "mean R² of " +
            fixed(s.alignCebra.r2) +
            " of the units' test-repeat responses; from PCA of the same dimension " +
            fixed(s.alignPca.r2) +
            ". CEBRA has no loss term tying its latents to the responses, so a lower score than "
            "PCA "
            "means it kept what decodes the movie and dropped the rest.";
    }
    return m;
}

void writeHtml(const std::string& path, const StudyResults& s,
               const std::vector<ReportFigure>& figures,
               const std::map<std::string, std::string>& read, const std::string& figuresNote)
{
    std::ostringstream out;
    const Responses& r = s.analysed.responses;
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>neurolens "
           "report: "
        << html(s.source) << "</title>\n"
        << "<style>body{font-family:'DejaVu Sans',sans-serif;max-width:1000px;margin:2em "
           "auto;color:#222;line-height:1.45}"
           "figure{margin:2em 0}img{max-width:100%;border:1px solid "
           "#ddd}figcaption{margin-top:.5em}"
           "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em "
           ".6em;text-align:right}th{background:#f3f3f3}"
           "td:first-child,th:first-child{text-align:left}</style></head><body>\n";
    out << "<h1>The seed study on " << html(s.source) << "</h1>\n<p>" << r.units() << " units ("
        << s.unitsBefore << " recorded), " << r.repeats() << " repeats of " << s.analysed.frames()
        << " frames, " << r.binsPerFrame() << " bin(s) per frame; seed " << s.options.seed
        << (s.options.quick ? ", <b>quick run</b> (every fit and training shortened)" : "") << "; "
        << fixed(s.seconds, 0)
        << " s. Every number is in <a href=\"metrics.json\">metrics.json</a>; the data behind the "
           "figures are the CSV files beside this page.</p>\n";
    out << "<h2>Frame decoding</h2>\n<table><tr><th>decoder</th><th>test within 1 "
           "s</th><th>chance</th><th>shuffled labels</th><th>test exact</th>"
           "<th>train exact</th><th>test MAE (frames)</th><th>R²</th></tr>\n";
    for (const StudyDecoding& d : s.decodings)
        out << "<tr><td>" << html(d.title) << "</td><td>" << fixed(d.result.test.within)
            << "</td><td>" << fixed(d.result.chance.within) << "</td><td>"
            << (d.result.shuffles ? fixed(d.result.shuffleMean.within) : "–") << "</td><td>"
            << fixed(d.result.test.accuracy) << "</td><td>" << fixed(d.result.train.accuracy)
            << "</td><td>" << fixed(d.result.test.mae, 1) << "</td><td>" << fixed(d.result.test.r2)
            << "</td></tr>\n";
    if (s.cebra.rows() > 0) {
        for (const auto& [name, k] :
             {std::pair<std::string, const KnnFrameDecoding*>{"CEBRA, kNN", &s.cebraKnn},
              {"raw responses, kNN", &s.rawKnn},
              {"PCA (" + std::to_string(s.cebraDims) + " dims), kNN", &s.pcaKnn}})
            out << "<tr><td>" << html(name) << "</td><td>" << fixed(k->within) << "</td><td>"
                << fixed(k->chanceWithin) << "</td><td>"
                << (k->shuffles ? fixed(k->shuffleWithin) : "–") << "</td><td>–</td><td>–</td><td>"
                << fixed(k->mae, 1) << "</td><td>–</td></tr>\n";
    }
    out << "</table>\n";
    if (!s.behaviour.empty() || !s.behaviourNotes.empty()) {
        out << "<h2>Behaviour decoding</h2>\n<table><tr><th>behaviour</th><th>from</th><th>test "
               "R²</th><th>correlation</th><th>chance R²</th><th>shuffled R²</th><th>train "
               "R²</th><th>test MAE</th></tr>\n";
        for (const StudyBehaviour& b : s.behaviour) {
            const auto row = [&](const std::string& from, const BehaviourDecodeResult& x) {
                out << "<tr><td>" << html(b.name) << "</td><td>" << html(from) << "</td><td>"
                    << fixed(x.test.r2) << "</td><td>" << fixed(x.test.pearson) << "</td><td>"
                    << fixed(x.chance.r2) << "</td><td>"
                    << (x.shuffles ? fixed(x.shuffleMean.r2) : "–") << "</td><td>"
                    << fixed(x.train.r2) << "</td><td>" << fixed(x.test.mae, 2) << "</td></tr>\n";
            };
            row("raw responses, ridge (alpha " + general(b.raw.tunedValue) + ")", b.raw);
            if (b.cebra)
                row("CEBRA's embedding, kNN (k " + general(b.cebra->tunedValue) + ")", *b.cebra);
        }
        out << "</table>\n";
        for (const std::string& note : s.behaviourNotes)
            out << "<p>Not decoded: " << html(note) << "</p>\n";
    }
    if (s.cebra.rows() > 0) {
        out << "<h2>Is CEBRA's frame decoding significant?</h2>\n<p>Repeats "
            << html(s.split.describe())
            << ": CEBRA trained on the training repeats alone, chose its step and the kNN's k on "
               "the validation repeats, and never saw "
               "the test repeat.</p>\n<p><b>"
            << html(verdict(s))
            << "</b></p>\n<table><tr><th>on the test repeat</th><th>within 1 s</th>"
               "<th>95 % interval</th></tr>\n";
        auto row = [&](const std::string& name, double v, double lo, double hi) {
            out << "<tr><td>" << html(name) << "</td><td>" << fixed(v) << "</td><td>"
                << (hi > 0 ? fixed(lo) + "-" + fixed(hi) : "–") << "</td></tr>\n";
        };
        row("CEBRA " + s.cebraModel + " (330 ms)", s.cebraKnn.within, s.cebraKnn.withinLow,
            s.cebraKnn.withinHigh);
        row("CEBRA " + s.cebraOneFrameModel + " (1 frame)", s.cebraOneFrameKnn.within,
            s.cebraOneFrameKnn.withinLow, s.cebraOneFrameKnn.withinHigh);
        for (std::size_t i = 0; i < s.cebraControls.shuffleWithin.size(); ++i)
            row("CEBRA on shuffled labels, run " + std::to_string(i + 1),
                s.cebraControls.shuffleWithin[i], 0, 0);
        if (s.cebraControls.timeOnlyRan)
            row("CEBRA-Time (no labels)", s.cebraControls.timeOnlyWithin, 0, 0);
        for (const BaselineDecoding& b : s.baselines)
            row((b.method == "knn" ? "kNN, " : "naive Bayes, ") +
                    std::string(b.windowFrames == 1 ? "33 ms" : "330 ms"),
                b.within, b.withinLow, b.withinHigh);
        row("chance", s.cebraKnn.chanceWithin, 0, 0);
        out << "</table>\n";
    }
    if (!s.modelsAvailable) out << "<p><b>Models:</b> " << html(s.modelsNote) << "</p>\n";
    if (!figuresNote.empty()) out << "<p><b>Figures:</b> " << html(figuresNote) << "</p>\n";
    for (const ReportFigure& f : figures) {
        const auto it = read.find(f.name);
        out << "<figure id=\"" << f.name << "\"><img src=\"" << f.name << ".svg\" alt=\""
            << html(f.title) << "\">\n<figcaption><b>" << html(f.title) << ".</b> "
            << (it != read.end() ? html(it->second) : std::string()) << " (<a href=\"" << f.name
            << ".png\">PNG</a>, <a href=\"" << f.name << ".svg\">SVG</a>)</figcaption></figure>\n";
    }
    out << "<p style=\"color:#777\">Made by neurolens (the whole-study "
           "report).</p>\n</body></html>\n";
    writeWholeFile(path, out.str());
}

}  // namespace

ReportOutput writeReport(const StudyResults& study, const std::string& folder, Progress& progress)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
        throw OutputError(folder, "", "exists and is not a folder");
    fs::create_directories(folder, ec);
    if (ec) throw OutputError(folder, "", "cannot create the folder: " + ec.message());

    SubProgress figureProgress(progress, 0.0, 0.85);
    ReportOutput out;
    out.figures = writeReportFigures(study, folder, figureProgress);
    if (reportFiguresAvailable() && !study.significance.curve.empty())
        out.figures.push_back(writeSignificanceFigure(study.significance, folder));
    const std::string figuresNote =
        reportFiguresAvailable()
            ? std::string()
            : "this build of neurolens has no Qt: no figures, only the numbers and data";

    // The data behind the figures, as CSV with their settings beside them.
    progress.report(0.85, 1, "writing data and metrics");
    const fs::path dir(folder);
    Provenance made;
    made.producer = "neurolens report";
    made.source = study.source;
    made.seed = study.options.seed;
    made.settings["quick"] = study.options.quick ? "true" : "false";
    addPreprocessing(made, study.options.preprocess);
    auto write = [&](ResultTable t, const std::string& file,
                     const std::map<std::string, std::string>& settings = {}) {
        Provenance p = made;
        p.settings.insert(t.provenance.settings.begin(), t.provenance.settings.end());
        p.settings.insert(settings.begin(), settings.end());
        p.trainRepeats = t.provenance.trainRepeats;
        p.testRepeats = t.provenance.testRepeats;
        t.provenance = std::move(p);
        writeTableCsv(t, (dir / file).string());
    };
    const std::map<std::string, std::string> modelSplit = {
        {"model_train_repeats", repeatList(study.split.train)},
        {"model_validation_repeats", repeatList(study.split.validation)},
        {"model_test_repeats", repeatList(study.split.test)}};
    write(embeddingTable(study.analysed, study.pca3, "PC"), "pca_3d.csv", {{"method", "pca"}});
    write(embeddingTable(study.analysed, study.tsne, "tsne"), "tsne.csv", {{"method", "tsne"}});
    for (const StudyDecoding& d : study.decodings)
        write(decodingTable(study.analysed, d.result), d.name + ".csv");
    for (const StudyBehaviour& b : study.behaviour) {
        write(behaviourDecodingTable(study.analysed, b.raw), "behaviour_" + b.name + ".csv");
        if (b.cebra)
            write(behaviourDecodingTable(study.analysed, *b.cebra),
                  "behaviour_" + b.name + "_cebra.csv");
    }
    for (const StudyVae& v : study.vaes) {
        std::map<std::string, std::string> settings = modelSplit;
        settings["model"] = "vae";
        settings["guidance"] = v.guidance;
        write(historyTable(v.history), "vae_" + v.guidance + "_history.csv", settings);
    }
    if (study.cebra.rows() > 0) {
        std::map<std::string, std::string> settings = modelSplit;
        settings["model"] = "cebra";
        write(embeddingTable(study.analysed, study.cebra, "latent"), "cebra.csv", settings);
        write(historyTable(study.cebraHistory), "cebra_history.csv", settings);
        std::map<std::string, std::vector<double>> perUnit{
            {"r2_cebra", std::vector<double>(study.alignCebra.r2PerUnit.data(),
                                             study.alignCebra.r2PerUnit.data() +
                                                 study.alignCebra.r2PerUnit.size())},
            {"r2_pca", std::vector<double>(
                           study.alignPca.r2PerUnit.data(),
                           study.alignPca.r2PerUnit.data() + study.alignPca.r2PerUnit.size())}};
        write(unitTable(study.analysed.units, perUnit), "alignment_units.csv", settings);
    }
    if (!study.significance.curve.empty())
        write(curveTable(study.significance), "significance.csv");

    nlohmann::json metrics = metricsOf(study);
    nlohmann::json names = nlohmann::json::array();
    for (const ReportFigure& f : out.figures) names.push_back(f.name);
    metrics["figures"] = names;
    out.metrics = (dir / "metrics.json").string();
    out.html = (dir / "report.html").string();
    writeWholeFile(out.metrics, metrics.dump(2) + "\n");
    writeHtml(out.html, study, out.figures, readings(study), figuresNote);
    progress.report(1, 1, "report written");
    return out;
}

}  // namespace neurolens

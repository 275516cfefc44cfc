#include "neurolens/preprocess/RepeatSplit.h"

#include "neurolens/data/Error.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace neurolens {

RepeatSplit RepeatSplit::standard(int repeats, int validationRepeats)
{
    RepeatSplit split;
    if (repeats < 2) throw UsageError("a train/test split needs at least 2 repeats (got " +
                                      std::to_string(repeats) + ")");
    split.test = {repeats - 1};
    const int trainable = repeats - 1;
    const int validation = std::clamp(validationRepeats, 0, trainable - 1);
    for (int r = 0; r < trainable - validation; ++r) split.train.push_back(r);
    for (int r = trainable - validation; r < trainable; ++r) split.validation.push_back(r);
    return split;
}

std::vector<int> parseRepeatList(const std::string& text, int repeats)
{
    auto bad = [&](const std::string& why) {
        throw UsageError("invalid repeat list '" + text + "': " + why);
    };
    std::vector<int> out;
    std::stringstream ss(text);
    std::string part;
    auto number = [&](const std::string& s) {
        if (s.empty() || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
            bad("'" + s + "' is not a repeat index");
        const long v = std::stol(s);
        if (v >= repeats) bad("repeat " + s + " does not exist (the recording has " + std::to_string(repeats) +
                              " repeats, 0-" + std::to_string(repeats - 1) + ")");
        return int(v);
    };
    while (std::getline(ss, part, ',')) {
        const auto dash = part.find('-');
        if (dash == std::string::npos) {
            out.push_back(number(part));
        } else {
            const int a = number(part.substr(0, dash)), b = number(part.substr(dash + 1));
            if (b < a) bad("range " + part + " runs backwards");
            for (int r = a; r <= b; ++r) out.push_back(r);
        }
    }
    if (out.empty()) bad("no repeat listed");
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

RowMatrixXf gatherRepeats(const Responses& responses, const std::vector<int>& repeats)
{
    RowMatrixXf out(Eigen::Index(repeats.size()) * responses.bins(), responses.units());
    for (std::size_t i = 0; i < repeats.size(); ++i)
        out.middleRows(Eigen::Index(i) * responses.bins(), responses.bins()) = responses.repeat(repeats[i]);
    return out;
}

RowMatrixXf gatherRepeats(const RowMatrixXf& samples, const std::vector<int>& repeats, int bins)
{
    RowMatrixXf out(Eigen::Index(repeats.size()) * bins, samples.cols());
    for (std::size_t i = 0; i < repeats.size(); ++i)
        out.middleRows(Eigen::Index(i) * bins, bins) = samples.middleRows(Eigen::Index(repeats[i]) * bins, bins);
    return out;
}

Standardiser Standardiser::fit(const Eigen::Ref<const RowMatrixXf>& rows)
{
    Standardiser s;
    const double n = std::max<double>(1.0, double(rows.rows()));
    s.mean = rows.cast<double>().colwise().sum() / n;
    s.scale = ((rows.cast<double>().rowwise() - s.mean).array().square().colwise().sum() / n).sqrt();
    for (Eigen::Index j = 0; j < s.scale.size(); ++j)
        if (!(s.scale[j] > 0)) s.scale[j] = 1.0;
    return s;
}

RowMatrixXf Standardiser::apply(const Eigen::Ref<const RowMatrixXf>& rows) const
{
    return ((rows.cast<double>().rowwise() - mean).array().rowwise() / scale.array()).cast<float>();
}

}  // namespace neurolens

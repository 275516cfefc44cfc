#include "neurolens/data/Error.h"
#include "neurolens/models/Alignment.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace neurolens {
namespace {

nlohmann::json toJson(const AlignmentResult& a)
{
    nlohmann::json perUnit = nlohmann::json::array();
    for (Eigen::Index u = 0; u < a.r2PerUnit.size(); ++u)
        perUnit.push_back(std::isfinite(a.r2PerUnit[u]) ? nlohmann::json(a.r2PerUnit[u])
                                                        : nlohmann::json(nullptr));
    return {{"r2", a.r2},
            {"r2_per_unit", perUnit},
            {"validation_r2", a.validationR2},
            {"alpha", a.alpha},
            {"epochs", a.epochs},
            {"train", a.train},
            {"validation", a.validation},
            {"test", a.test}};
}

AlignmentResult fromJson(const nlohmann::json& j)
{
    AlignmentResult a;
    a.r2 = j.at("r2").get<double>();
    const nlohmann::json& perUnit = j.at("r2_per_unit");
    a.r2PerUnit.resize(Eigen::Index(perUnit.size()));
    for (std::size_t u = 0; u < perUnit.size(); ++u)
        a.r2PerUnit[Eigen::Index(u)] =
            perUnit[u].is_number() ? perUnit[u].get<double>() : std::nan("");
    a.validationR2 = j.at("validation_r2").get<double>();
    a.alpha = j.at("alpha").get<double>();
    a.epochs = j.at("epochs").get<int>();
    a.train = j.at("train").get<std::vector<int>>();
    a.validation = j.at("validation").get<std::vector<int>>();
    a.test = j.at("test").get<std::vector<int>>();
    return a;
}

}  // namespace

std::string alignmentToJson(const AlignmentComparison& c)
{
    const nlohmann::json j = {{"format", "neurolens alignment"},
                              {"version", 1},
                              {"embedding", c.embedding},
                              {"model", c.model},
                              {"dims", c.dims},
                              {"result", toJson(c.result)},
                              {"pca", toJson(c.pca)}};
    return j.dump();
}

AlignmentComparison alignmentFromJson(const std::string& text)
{
    AlignmentComparison c;
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        if (j.value("format", "") != "neurolens alignment" || j.value("version", 0) != 1)
            throw UsageError("not a neurolens alignment (format or version)");
        c.embedding = j.at("embedding").get<std::string>();
        c.model = j.at("model").get<std::string>();
        c.dims = j.at("dims").get<int>();
        c.result = fromJson(j.at("result"));
        c.pca = fromJson(j.at("pca"));
    } catch (const nlohmann::json::exception& e) {
        throw UsageError(std::string("a damaged alignment: ") + e.what());
    }
    if (c.result.r2PerUnit.size() == 0 || c.result.r2PerUnit.size() != c.pca.r2PerUnit.size() ||
        c.dims < 1)
        throw UsageError("a damaged alignment: its per-unit scores do not match");
    return c;
}

}  // namespace neurolens

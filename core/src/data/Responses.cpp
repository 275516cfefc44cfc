#include "neurolens/data/Responses.h"

#include <cmath>
#include <stdexcept>

namespace neurolens {

Responses::Responses(int repeats, int bins, int units, int binsPerFrame, double binRateHz)
    : repeats_(repeats),
      bins_(bins),
      units_(units),
      binsPerFrame_(binsPerFrame),
      binRateHz_(binRateHz)
{
    if (repeats < 0 || bins < 0 || units < 0 || binsPerFrame < 1)
        throw std::invalid_argument("Responses: negative size or bins per frame < 1");
    values_.assign(std::size_t(repeats) * bins * units, 0.0f);
}

Eigen::Map<const RowMatrixXf> Responses::sampleMatrix() const
{
    return {values_.data(), Eigen::Index(samples()), units_};
}

Eigen::Map<RowMatrixXf> Responses::sampleMatrix()
{
    return {values_.data(), Eigen::Index(samples()), units_};
}

Eigen::Map<const RowMatrixXf> Responses::repeat(int r) const
{
    return {values_.data() + std::size_t(r) * bins_ * units_, bins_, units_};
}

bool Responses::isCountLike() const
{
    for (float v : values_)
        if (!(v >= 0.0f && v <= 65535.0f) || v != std::floor(v)) return false;
    return true;
}

}  // namespace neurolens

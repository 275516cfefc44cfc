#include "neurolens/widgets/SampleSelection.h"

namespace neurolens {

void SampleSelection::select(const Sample& sample)
{
    if (sample == current_) return;
    current_ = sample;
    Q_EMIT changed(current_);
}

}  // namespace neurolens

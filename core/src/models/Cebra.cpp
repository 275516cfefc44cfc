#include "neurolens/models/Cebra.h"

#include "TorchModule.h"

namespace neurolens {

Cebra::Cebra(const Recording& analysed, CebraOptions options)
    : d(requireTorchModule("CEBRA").makeCebra(analysed, std::move(options)))
{
}
Cebra::~Cebra() = default;
int Cebra::epochsDone() const
{
    return d->epochsDone();
}
int Cebra::epochsPlanned() const
{
    return d->epochsPlanned();
}
EpochRecord Cebra::trainEpoch(Progress& progress)
{
    return d->trainEpoch(progress);
}
void Cebra::save(const std::string& path) const
{
    d->save(path);
}
void Cebra::load(const std::string& path)
{
    d->load(path);
}
const std::vector<EpochRecord>& Cebra::history() const
{
    return d->history();
}
RowMatrixXf Cebra::transform() const
{
    return d->transform();
}
double Cebra::temperature() const
{
    return d->temperature();
}
const CebraOptions& Cebra::options() const
{
    return d->options();
}
std::int64_t Cebra::parameterCount() const
{
    return d->parameterCount();
}
const RepeatSplit& Cebra::split() const
{
    return d->split();
}
int Cebra::keptStep() const
{
    return d->keptStep();
}
std::vector<int> Cebra::positivesFor(const std::vector<int>& references)
{
    return d->positivesFor(references);
}
Cebra::Batch Cebra::sampleBatch()
{
    return d->sampleBatch();
}

}  // namespace neurolens

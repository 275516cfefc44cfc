#include "neurolens/io/ReaderRegistry.h"

#include "Hdf5File.h"
#include "neurolens/data/Error.h"
#include "neurolens/io/BehaviourCsv.h"
#include "neurolens/io/KilosortReader.h"
#include "neurolens/io/MatrixReader.h"
#include "neurolens/io/NativeReader.h"
#include "neurolens/io/NwbOphysReader.h"
#include "neurolens/io/NwbReader.h"

#include <filesystem>
#include <fstream>

namespace neurolens {

const ReaderRegistry& ReaderRegistry::standard()
{
    static const ReaderRegistry registry = [] {
        ReaderRegistry r;
        r.add(std::make_unique<NativeReader>());
        r.add(std::make_unique<NwbReader>());
        r.add(std::make_unique<NwbOphysReader>());
        r.add(std::make_unique<KilosortReader>());
        r.add(std::make_unique<MatrixReader>());
        return r;
    }();
    return registry;
}

void ReaderRegistry::add(std::unique_ptr<Reader> reader)
{
    readers_.push_back(std::move(reader));
}

const Reader* ReaderRegistry::pick(const std::string& path) const
{
    const Reader* best = nullptr;
    int bestScore = 0;
    for (const auto& r : readers_) {
        const int s = r->score(path);
        if (s > bestScore) best = r.get(), bestScore = s;
    }
    return best;
}

Recording ReaderRegistry::read(const std::string& path, const ReadOptions& options,
                               Progress& progress) const
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) throw InputError(path, "", "no such file");
    // Behaviour from a CSV joins whatever the reader made (on its session clock), on the finer bins
    // the frames' averages would then be taken of: a reader does not average while it reads.
    ReadOptions chosen = options;
    if (!options.behaviourCsv.empty()) chosen.averageFrames = false;
    const auto withBehaviour = [&](Recording rec) {
        if (!options.behaviourCsv.empty()) {
            attachBehaviour(rec,
                            readBehaviourCsv(options.behaviourCsv, options.behaviourTimeColumn),
                            options.behaviourCsv);
            rec.validate();
        }
        return rec;
    };
    if (fs::is_directory(path, ec)) {
        if (const Reader* reader = pick(path))
            return withBehaviour(reader->read(path, chosen, progress));
        throw InputError(path, "",
                         "is a folder, but not a Kilosort / phy output folder (no "
                         "spike_times.npy in it)");
    }
    if (!std::ifstream(path, std::ios::binary).good())
        throw InputError(path, "", "cannot be opened for reading");
    if (fs::file_size(path, ec) == 0) throw InputError(path, "", "is empty");
    if (const Reader* reader = pick(path))
        return withBehaviour(reader->read(path, chosen, progress));
    if (Hdf5File::isHdf5(path))
        throw InputError(path, "",
                         "an HDF5 file, but not in a layout neurolens reads (no neurolens "
                         "'/responses/counts', no NWB '/units' table and no two-photon traces)");
    throw InputError(path, "",
                     "not a recording neurolens can read (not an HDF5 file, nor a matrix of "
                     "numbers in .npy, .npz or CSV)");
}

}  // namespace neurolens

#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/io/KilosortReader.h"
#include "neurolens/io/MatrixReader.h"
#include "neurolens/io/NwbReader.h"
#include "neurolens/io/ReaderRegistry.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace neurolens::cli {

namespace {

// An NWB session is described from its tables, without binning ~10^8 spikes or resampling traces.
int nwbInfo(const InfoArgs& args, const Common& common, const std::string& format)
{
    const NwbSummary s = NwbReader::summarize(args.file);
    const bool traces = format == "nwb-ophys";
    nlohmann::json areas = nlohmann::json::object(), areasAll = nlohmann::json::object();
    for (const auto& [area, count] : s.areasQc) areas[area] = count;
    for (const auto& [area, count] : s.areas) areasAll[area] = count;
    nlohmann::json stimuli = nlohmann::json::array();
    for (const auto& t : s.stimuli) {
        nlohmann::json columns = nlohmann::json::array();
        for (const auto& c : t.columns)
            columns.push_back({{"name", c.name},
                               {"frames", c.framesPerRepeat},
                               {"repeats_per_block", c.repeatsPerBlock}});
        stimuli.push_back({{"name", t.name},
                           {"presentations", t.presentations},
                           {"frame_column", t.frameColumn},
                           {"frames", t.framesPerRepeat},
                           {"repeats_per_block", t.repeatsPerBlock},
                           {"frame_columns", columns}});
    }
    const auto* first = s.stimuli.empty() ? nullptr : &s.stimuli.front();
    nlohmann::json j = {
        {"file", args.file},
        {"format", format},
        {"units", traces ? s.traces.front().rois : s.unitsPassingQc},
        {"units_all", traces ? s.traces.front().rois : s.units},
        {"areas", areas},
        {"areas_all", areasAll},
        {"stimulus", first ? first->name : ""},
        {"repeats", first && !first->repeatsPerBlock.empty() ? first->repeatsPerBlock.front() : 0},
        {"frames", first ? first->framesPerRepeat : 0},
        {"bins_per_frame", traces ? 1 : 4},
        {"has_movie", false},
        {"features", nlohmann::json::array()},
        {"stimuli", stimuli},
        {"area_source", s.areaSource},
        {"qc_filter_applied", s.qcApplied},
        {"qc_filter_absent", s.qcAbsent}};
    nlohmann::json series = nlohmann::json::array();
    for (const auto& tr : s.traces)
        series.push_back({{"name", tr.name},
                          {"kind", tr.kind},
                          {"rois", tr.rois},
                          {"samples", tr.samples},
                          {"rate_hz", tr.rateHz},
                          {"area", tr.area}});
    j["traces"] = series;
    j["behaviour"] = s.behaviour;
    std::ostringstream t;
    t << args.file << (traces ? " (NWB two-photon session)\n" : " (NWB session)\n");
    if (traces) {
        for (const auto& tr : s.traces)
            t << "  traces     " << tr.name << ": " << tr.rois << " ROIs (" << tr.area << "), "
              << tr.samples << " samples at " << tr.rateHz << " Hz\n";
        t << "  units      the ROIs of the first series (choose another with --traces)\n";
    } else {
        t << "  units      " << s.unitsPassingQc << " passing the quality filter, of " << s.units
          << "\n";
        auto joined = [](const std::vector<std::string>& v) {
            std::string out;
            for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
            return out;
        };
        t << "  filter     "
          << (s.qcApplied.empty() ? "none of its columns in the file: every unit passes"
                                  : joined(s.qcApplied));
        if (!s.qcAbsent.empty() && !s.qcApplied.empty())
            t << " (the file has no column for " << joined(s.qcAbsent) << ")";
        t << "\n";
        t << "  areas from "
          << (s.areaSource.empty() ? "nowhere (no unit is linked to an electrode)" : s.areaSource)
          << "\n";
    }
    t << "  areas     ";
    for (const auto& [area, count] : s.areasQc) t << " " << area << " " << count;
    t << "\n";
    if (!s.behaviour.empty()) {
        t << "  behaviour ";
        for (const auto& b : s.behaviour) t << " " << b;
        t << " (read onto the bins)\n";
    }
    for (const auto& st : s.stimuli) {
        for (const auto& c : st.columns) {
            t << "  stimulus   " << st.name << " · " << c.name << ": " << c.framesPerRepeat
              << " frames, repeats per block";
            for (int r : c.repeatsPerBlock) t << " " << r;
            t << "\n";
        }
    }
    emit(common.json, j, t.str());
    return kOk;
}

// A Kilosort / phy folder is described from its spikes and labels (its frames come with convert).
int kilosortInfo(const InfoArgs& args, const Common& common)
{
    const KilosortSummary s = KilosortReader::summarize(args.file);
    nlohmann::json labels = nlohmann::json::object();
    for (const auto& [label, count] : s.labels) labels[label] = count;
    const nlohmann::json j = {{"file", args.file},
                              {"format", "kilosort"},
                              {"spikes", s.spikes},
                              {"clusters", s.clusters},
                              {"labels", labels},
                              {"label_source", s.labelSource},
                              {"sample_rate_hz", s.sampleRate},
                              {"seconds", s.seconds},
                              {"has_depth", s.hasDepth}};
    std::ostringstream t;
    t << args.file << " (Kilosort / phy folder)\n";
    t << "  spikes     " << s.spikes << " over " << s.seconds << " s at " << s.sampleRate
      << " Hz\n";
    t << "  clusters   " << s.clusters << " labelled;";
    for (const auto& [label, count] : s.labels) t << " " << label << " " << count;
    t << " (labels from "
      << (s.labelSource.empty() ? std::string("nowhere: no label file") : s.labelSource) << ")\n";
    t << "  depth      "
      << (s.hasDepth ? "from templates.npy and channel_positions.npy" : "unknown") << "\n";
    t << "  stimulus   none in the folder: convert with --frame-times (and --frames)\n";
    emit(common.json, j, t.str());
    return kOk;
}

// A plain matrix is described by its arrays; its frames come with convert (or sit beside it).
int matrixInfo(const InfoArgs& args, const Common& common)
{
    const MatrixSummary s = MatrixReader::summarize(args.file);
    nlohmann::json arrays = nlohmann::json::array();
    std::ostringstream t;
    t << args.file << " (plain matrix, " << s.kind << ")\n";
    for (const auto& a : s.arrays) {
        arrays.push_back({{"name", a.name}, {"rows", a.rows}, {"columns", a.cols}});
        t << "  array      " << (a.name.empty() ? std::string("(the file)") : a.name) << ": "
          << a.rows << " x " << a.cols << "\n";
    }
    t << "  frames     "
      << (s.framesArray.empty() ? std::string("none in the file: convert with --frames")
                                : s.framesArray + " (" + std::to_string(s.labels) + " labels)")
      << "\n";
    if (!s.repeatsArray.empty()) t << "  repeats    " << s.repeatsArray << "\n";
    const nlohmann::json j = {{"file", args.file},
                              {"format", "matrix"},
                              {"kind", s.kind},
                              {"arrays", arrays},
                              {"frames_array", s.framesArray},
                              {"repeats_array", s.repeatsArray},
                              {"labels", s.labels}};
    emit(common.json, j, t.str());
    return kOk;
}

}  // namespace

int runInfo(const InfoArgs& args, const Common& common, Progress& progress)
{
    const Reader* reader = ReaderRegistry::standard().pick(args.file);
    if (reader && (reader->name() == "nwb" || reader->name() == "nwb-ophys"))
        return nwbInfo(args, common, reader->name());
    if (reader && reader->name() == "kilosort") return kilosortInfo(args, common);
    if (reader && reader->name() == "matrix") return matrixInfo(args, common);
    const Recording rec = readRecording(args.file, progress);
    const Responses& r = rec.responses;
    nlohmann::json areas = nlohmann::json::object();
    for (const auto& [area, count] : rec.units.areaCounts()) areas[area] = count;
    nlohmann::json features = nlohmann::json::array(), results = nlohmann::json::array(),
                   qc = nlohmann::json::array();
    for (const auto& [name, f] : rec.features) features.push_back(name);
    for (const auto& [name, e] : rec.results) results.push_back(name);
    for (const auto& [name, c] : rec.units.qc) qc.push_back(name);
    std::map<int, int> blocks;
    for (int b : rec.stimulus.block) ++blocks[b];
    nlohmann::json blockJson = nlohmann::json::object();
    for (const auto& [b, n] : blocks) blockJson[std::to_string(b)] = n;

    nlohmann::json j = {{"file", args.file},
                        {"format", rec.format},
                        {"source", rec.source},
                        {"units", r.units()},
                        {"areas", areas},
                        {"repeats", r.repeats()},
                        {"blocks", blockJson},
                        {"frames", rec.frames()},
                        {"bins", r.bins()},
                        {"bins_per_frame", r.binsPerFrame()},
                        {"bin_rate_hz", r.binRateHz()},
                        {"frame_rate_hz", r.frameRateHz()},
                        {"has_movie", rec.movie.has_value()},
                        {"features", features},
                        {"results", results},
                        {"qc_columns", qc}};
    // Each behaviour with its range and how much of it is known (NaN: a blink, a gap in tracking).
    nlohmann::json behaviour = nlohmann::json::object();
    std::ostringstream behaviourText;
    for (const auto& [name, values] : rec.behaviour) {
        double lo = 0, hi = 0, sum = 0;
        std::size_t known = 0;
        for (float v : values) {
            if (std::isnan(v)) continue;
            lo = known == 0 ? v : std::min(lo, double(v));
            hi = known == 0 ? v : std::max(hi, double(v));
            sum += v, ++known;
        }
        const double fraction = values.empty() ? 0.0 : double(known) / double(values.size());
        behaviour[name] = {{"known_fraction", fraction},
                           {"min", lo},
                           {"max", hi},
                           {"mean", known ? sum / double(known) : 0.0}};
        behaviourText << "  behaviour  " << name << ": " << lo << " to " << hi << ", mean "
                      << (known ? sum / double(known) : 0.0) << ", " << 100.0 * fraction
                      << " % of bins known\n";
    }
    j["behaviour"] = behaviour;
    if (rec.movie)
        j["movie"] = {{"frames", rec.movie->frames},
                      {"height", rec.movie->height},
                      {"width", rec.movie->width}};

    std::ostringstream t;
    t << args.file << " (" << rec.format << ")\n";
    t << "  units      " << r.units() << " (";
    bool first = true;
    for (const auto& [area, count] : rec.units.areaCounts())
        t << (first ? "" : ", ") << area << " " << count, first = false;
    t << ")\n";
    t << "  repeats    " << r.repeats() << " in " << blocks.size() << " block(s)\n";
    t << "  frames     " << rec.frames() << ", " << r.binsPerFrame() << " bins per frame ("
      << r.binRateHz() << " Hz)\n";
    t << "  movie      ";
    if (rec.movie)
        t << rec.movie->frames << " x " << rec.movie->height << " x " << rec.movie->width << "\n";
    else
        t << "none\n";
    t << "  features   " << (features.empty() ? std::string("none") : features.dump()) << "\n";
    t << "  results    " << (results.empty() ? std::string("none") : results.dump()) << "\n";
    t << behaviourText.str();
    emit(common.json, j, t.str());
    return kOk;
}

}  // namespace neurolens::cli

#pragma once
// Data export: results as tables of named columns, written to CSV or into an HDF5 file's /results.
//  - embeddingTable: one row per sample (repeat x bin) with its ids (sample, repeat, bin, frame,
//    time in the repeat, session time), the behaviour in that bin (a column per series, NaN where
//    unknown) and the embedding's dimensions;
//  - decodingTable: one row per test sample (repeat, bin, true and decoded frame, error, then the
//    behaviour), the metrics (train, test, chance, shuffle control) as attributes, the decoder's
//    settings and split as provenance;
//  - behaviourDecodingTable: the same for a decoded behaviour (true and decoded value, error);
//  - historyTable: one row per epoch of a training history;
//  - unitTable: one row per unit (id, area) with per-unit values (e.g. alignment R²);
//  - curveTable: one row per method and neuron count of the significance curve (mean, sd, every
//    run).
// CSV: plain (one header row, then the rows), with a JSON sidecar NAME.csv.json holding the kind,
// the attributes and the provenance. HDF5: /results/<name> is a group with one dataset per column,
// the attributes (kind = embedding | decoding | behaviour_decoding | history | units |
// significance) and the provenance as attributes; an existing HDF5 file gets the group added
// atomically (copied, changed, renamed over), else a new file holding only /results is made.
// Writing is whole or not at all; errors throw OutputError / UsageError.

#include "neurolens/data/Recording.h"
#include "neurolens/io/Provenance.h"

#include <map>
#include <string>
#include <vector>

namespace neurolens {

struct BehaviourDecodeResult;
struct DecodeResult;
struct EpochRecord;
struct SignificanceResult;

struct ResultTable {
    std::string kind;
    std::vector<std::string> names;  // numeric columns
    std::vector<std::vector<double>> columns;
    std::vector<std::string> textNames;  // text columns (after the numeric ones in CSV)
    std::vector<std::vector<std::string>> texts;
    std::map<std::string, std::string> attributes;  // metrics and parameters (numbers as text)
    Provenance provenance;  // the tables' makers fill what they know; the caller, the producer
    std::size_t rows() const;
};

ResultTable embeddingTable(const Recording& analysed, const RowMatrixXf& values,
                           const std::string& columnPrefix = "dim");
ResultTable decodingTable(const Recording& analysed, const DecodeResult& result);
ResultTable behaviourDecodingTable(const Recording& analysed, const BehaviourDecodeResult& result);
ResultTable historyTable(const std::vector<EpochRecord>& history);
ResultTable unitTable(const UnitTable& units,
                      const std::map<std::string, std::vector<double>>& perUnit);
ResultTable curveTable(const SignificanceResult& result);

void writeTableCsv(const ResultTable& table, const std::string& path);
void writeTableHdf5(const ResultTable& table, const std::string& path, const std::string& name);

}  // namespace neurolens

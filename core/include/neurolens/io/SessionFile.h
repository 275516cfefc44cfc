#pragma once
// A saved session (*.neurolens-session, HDF5): what to reopen and what was computed, so a user
// comes back to the same views and numbers without recomputing.
//  - the recordings (file, read options, files attached to them such as a movie; or a simulated
//    session's parameters) and which one was current;
//  - the preprocessing choices;
//  - the results computed on the current analysis (embeddings: t-SNE layouts, trained models'
//  latents…);
//  - trained models as their checkpoints (bytes) with the options that made them;
//  - the last decoding, sweep and alignment (JSON text: scores, predictions, split, options);
//  - the views' state and the window layout, as text the GUI writes and reads back (JSON, base64).
// Saving writes a temporary file beside the target and renames it over the target only when
// complete: a session survives the app being killed during a save (the previous file stays whole).
// Loading throws InputError naming the file when it is not a session or is damaged.

#include "neurolens/data/Recording.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/io/Reader.h"
#include "neurolens/models/Alignment.h"
#include "neurolens/preprocess/Preprocess.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace neurolens {

struct SessionRecording {
    std::string path;  // empty: simulated
    ReadOptions options;
    std::vector<std::string> attached;  // movies and features attached after opening, in order
    bool simulated = false;
    std::uint64_t seed = 1;
    int units = 800, repeats = 10, frames = 900;
};

struct SessionModel {
    std::string kind;                      // "vae" or "cebra"
    std::string options;                   // JSON text of the options
    std::vector<std::uint8_t> checkpoint;  // the model's checkpoint file, as bytes
    std::string training;                  // the window's curves and log of its training (JSON)
};

struct Session {
    std::vector<SessionRecording> recordings;
    int current = 0;
    PreprocessOptions preprocess;
    std::map<std::string, Embedding> results;
    std::map<std::string, SessionModel> models;
    std::optional<DecodeResult> decoding;  // the last decoding (stored as decodeResultToJson)
    std::optional<SweepResult> sweep;      // the last sweep (sweepResultToJson)
    std::optional<AlignmentComparison> alignment;  // the last alignment (alignmentToJson)
    std::string viewState;                         // the GUI's (JSON text)
    std::string layout;                            // the GUI's (base64 text)
};

void saveSession(const Session& session, const std::string& path);
Session loadSession(const std::string& path);

}  // namespace neurolens

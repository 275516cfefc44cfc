#pragma once
// The options dialogs of the formats that have choices, in one place: an NWB session (area,
// stimulus, frame column, block, filter; a two-photon file's trace series), a Kilosort / phy folder
// (frame onsets, labels) and a plain matrix (frame labels, orientation). The window asks here
// before loading whatever it is given; a format without choices asks nothing.

#include "neurolens/io/Reader.h"

#include <QString>

#include <optional>

class QWidget;

namespace neurolens {

// What to do with a file: read it as a recording with `options` (attach false), attach it (a movie
// or per-frame features) to the recording on screen (true), or, where nothing was asked, whichever
// the file turns out to be (empty).
struct OpenChoice {
    ReadOptions options;
    std::optional<bool> attach;
};

// The options to read `path` with, asked where its format has choices; empty when the user
// cancels. A file whose summary cannot be read gets the defaults: the load then says what is wrong.
// A plain array, which may as well be features, joins the recording on screen (of `framesOnScreen`
// frames; 0: none) when it has a row per frame, and otherwise asks which it is.
std::optional<OpenChoice> askReadOptions(const QString& path, QWidget* parent,
                                         int framesOnScreen = 0);

}  // namespace neurolens

#pragma once
// The options dialogs of the formats that have choices, in one place: an NWB session (area,
// stimulus, frame column, block, filter) and a Kilosort / phy folder (frame onsets, labels). The
// window asks here before loading whatever it is given; a format without choices asks nothing.

#include "neurolens/io/Reader.h"

#include <QString>

#include <optional>

class QWidget;

namespace neurolens {

// The options to read `path` with, asked where its format has choices; empty when the user
// cancels. A file whose summary cannot be read gets the defaults: the load then says what is wrong.
std::optional<ReadOptions> askReadOptions(const QString& path, QWidget* parent);

}  // namespace neurolens

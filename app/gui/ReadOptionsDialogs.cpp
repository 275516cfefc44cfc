#include "ReadOptionsDialogs.h"

#include "KilosortOptionsDialog.h"
#include "NwbOptionsDialog.h"

#include "neurolens/io/KilosortReader.h"
#include "neurolens/io/NwbReader.h"
#include "neurolens/io/ReaderRegistry.h"

#include <exception>

namespace neurolens {
namespace {

template <typename Dialog, typename Summary>
std::optional<ReadOptions> show(const QString& path, const Summary& summary, QWidget* parent)
{
    Dialog dialog(path, summary, parent);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.options();
}

}  // namespace

std::optional<ReadOptions> askReadOptions(const QString& path, QWidget* parent)
{
    const std::string file = path.toStdString();
    const Reader* reader = ReaderRegistry::standard().pick(file);
    if (!reader) return ReadOptions{};
    // Below these scores the reader has recognised the file but not all it needs, and a summary
    // (headers and tables only, no spike) may fail: either way the load says what is wrong.
    try {
        if ((reader->name() == "nwb" && reader->score(file) >= 90) ||
            (reader->name() == "nwb-ophys" && reader->score(file) >= 85))
            return show<NwbOptionsDialog>(path, NwbReader::summarize(file), parent);
        if (reader->name() == "kilosort" && reader->score(file) >= 90)
            return show<KilosortOptionsDialog>(path, KilosortReader::summarize(file), parent);
    } catch (const std::exception&) {
        return ReadOptions{};
    }
    return ReadOptions{};
}

}  // namespace neurolens

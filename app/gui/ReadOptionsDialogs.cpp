#include "ReadOptionsDialogs.h"

#include "KilosortOptionsDialog.h"
#include "MatrixOptionsDialog.h"
#include "NwbOptionsDialog.h"

#include "neurolens/io/BehaviourCsv.h"
#include "neurolens/io/KilosortReader.h"
#include "neurolens/io/MatrixReader.h"
#include "neurolens/io/NwbReader.h"
#include "neurolens/io/ReaderRegistry.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

#include <algorithm>
#include <exception>

namespace neurolens {
namespace {

template <typename Dialog, typename Summary>
std::optional<OpenChoice> show(const QString& path, const Summary& summary, QWidget* parent)
{
    Dialog dialog(path, summary, parent);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return OpenChoice{dialog.options(), false};  // read as a recording
}

// A plain array dropped on an open recording: per-frame features (or a movie) for it, or a
// recording of its own?
std::optional<bool> askAttach(const QString& path, QWidget* parent)
{
    QMessageBox box(QMessageBox::Question, QObject::tr("Open or attach?"),
                    QObject::tr("%1 is a plain array. Attach it to the recording on screen (as "
                                "per-frame features or the movie), or open it as a recording of "
                                "its own (responses with frame labels)?")
                        .arg(QFileInfo(path).fileName()),
                    QMessageBox::Cancel, parent);
    QPushButton* attach = box.addButton(QObject::tr("Attach"), QMessageBox::AcceptRole);
    QPushButton* open = box.addButton(QObject::tr("Open as recording"), QMessageBox::AcceptRole);
    box.setDefaultButton(attach);
    box.exec();
    if (box.clickedButton() == attach) return true;
    if (box.clickedButton() == open) return false;
    return std::nullopt;
}

}  // namespace

std::optional<OpenChoice> askReadOptions(const QString& path, QWidget* parent, int framesOnScreen)
{
    const std::string file = path.toStdString();
    const Reader* reader = ReaderRegistry::standard().pick(file);
    if (!reader) return OpenChoice{};
    // Below these scores the reader has recognised the file but not all it needs, and a summary
    // (headers and tables only, no spike) may fail: either way the load says what is wrong.
    try {
        if ((reader->name() == "nwb" && reader->score(file) >= 90) ||
            (reader->name() == "nwb-ophys" && reader->score(file) >= 85))
            return show<NwbOptionsDialog>(path, NwbReader::summarize(file), parent);
        if (reader->name() == "kilosort" && reader->score(file) >= 90)
            return show<KilosortOptionsDialog>(path, KilosortReader::summarize(file), parent);
        // A behaviour log (a time column and named series) joins the recording on screen through
        // its session clock; with none, the load says to open the recording first.
        if (isBehaviourCsv(file))
            return OpenChoice{ReadOptions{},
                              framesOnScreen > 0 ? std::optional<bool>(true) : std::nullopt};
        if (reader->name() == "matrix") {
            const MatrixSummary summary = MatrixReader::summarize(file);
            if (framesOnScreen > 0) {
                const bool rowPerFrame = std::any_of(
                    summary.arrays.begin(), summary.arrays.end(),
                    [&](const auto& a) { return a.rows == std::uint64_t(framesOnScreen); });
                const std::optional<bool> attach =
                    rowPerFrame ? std::optional<bool>(true) : askAttach(path, parent);
                if (!attach) return std::nullopt;
                if (*attach) return OpenChoice{ReadOptions{}, true};
            }
            return show<MatrixOptionsDialog>(path, summary, parent);
        }
    } catch (const std::exception&) {
        return OpenChoice{};
    }
    return OpenChoice{};
}

}  // namespace neurolens

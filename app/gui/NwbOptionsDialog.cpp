#include "NwbOptionsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

namespace neurolens {

NwbOptionsDialog::NwbOptionsDialog(const QString& path, const NwbSummary& summary, QWidget* parent)
    : QDialog(parent), summary_(summary)
{
    const bool traces = summary.units == 0 && !summary.traces.empty();
    setWindowTitle(traces ? tr("Open two-photon NWB session") : tr("Open NWB session"));
    auto* form = new QFormLayout(this);
    auto* heading = new QLabel(
        traces ? tr("<b>%1</b><br>%n ROI response series", "", int(summary.traces.size()))
                     .arg(QFileInfo(path).fileName())
               : tr("<b>%1</b><br>%2 units, %3 passing the quality filter")
                     .arg(QFileInfo(path).fileName())
                     .arg(summary.units)
                     .arg(summary.unitsPassingQc),
        this);
    heading->setTextFormat(Qt::RichText);
    form->addRow(heading);
    // The filter says what it checks in this file: a standard NWB file may lack Allen's columns.
    QStringList applied, absent;
    for (const auto& c : summary.qcApplied) applied << QString::fromStdString(c);
    for (const auto& c : summary.qcAbsent) absent << QString::fromStdString(c);
    filter_ =
        new QCheckBox(applied.isEmpty() ? tr("Quality filter (the file has none of its columns)")
                                        : tr("Quality filter: %1").arg(applied.join(", ")),
                      this);
    filter_->setToolTip(absent.isEmpty()
                            ? tr("AllenSDK's default unit filter")
                            : tr("AllenSDK's default unit filter, where the file has the columns; "
                                 "not checked (no column): %1")
                                  .arg(absent.join(", ")));
    filter_->setChecked(!traces);
    area_ = new QComboBox(this);
    if (traces) {
        // A series is one imaging plane: its ROIs and their area come with it.
        traces_ = new QComboBox(this);
        for (const auto& t : summary.traces)
            traces_->addItem(tr("%1 (%2 ROIs, %3, %4 Hz)")
                                 .arg(QString::fromStdString(t.name))
                                 .arg(t.rois)
                                 .arg(QString::fromStdString(t.area))
                                 .arg(t.rateHz, 0, 'f', 1),
                             QString::fromStdString(t.name));
        traces_->setToolTip(tr("ΔF/F series first; each ROI becomes a unit"));
        form->addRow(tr("Traces:"), traces_);
        filter_->hide();
        area_->hide();
    } else {
        form->addRow(filter_);
        form->addRow(tr("Area:"), area_);
    }
    stimulus_ = new QComboBox(this);
    for (const auto& t : summary.stimuli)
        stimulus_->addItem(
            tr("%1 (%2 frames)").arg(QString::fromStdString(t.name)).arg(t.framesPerRepeat),
            QString::fromStdString(t.name));
    form->addRow(tr("Stimulus:"), stimulus_);
    frameColumn_ = new QComboBox(this);
    frameColumn_->setToolTip(tr("The stimulus table's column holding the movie frame index"));
    form->addRow(tr("Frame column:"), frameColumn_);
    block_ = new QComboBox(this);
    form->addRow(tr("Block:"), block_);
    binsPerFrame_ = new QSpinBox(this);
    binsPerFrame_->setRange(1, 64);
    binsPerFrame_->setValue(traces ? 1 : 4);
    binsPerFrame_->setToolTip(
        traces ? tr("Each frame's presentation interval is cut into this many equal bins; a bin "
                    "holds the mean of the samples taken in it, or the trace interpolated at its "
                    "middle when there is none")
               : tr("Each frame's presentation interval is cut into this many equal bins (4: "
                    "120 Hz)"));
    form->addRow(tr("Bins per frame:"), binsPerFrame_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(stimulus_, &QComboBox::currentIndexChanged, this, [this] { fillColumns(); });
    connect(frameColumn_, &QComboBox::currentIndexChanged, this, [this] { fillBlocks(); });
    connect(filter_, &QCheckBox::toggled, this, [this] { fillAreas(); });
    fillColumns();
    fillAreas();
}

void NwbOptionsDialog::fillColumns()
{
    const QSignalBlocker quiet(frameColumn_);
    frameColumn_->clear();
    const int i = stimulus_->currentIndex();
    if (i >= 0 && i < int(summary_.stimuli.size()))
        for (const auto& c : summary_.stimuli[std::size_t(i)].columns)
            frameColumn_->addItem(
                tr("%1 (%2 frames)").arg(QString::fromStdString(c.name)).arg(c.framesPerRepeat),
                QString::fromStdString(c.name));
    fillBlocks();
}

void NwbOptionsDialog::fillBlocks()
{
    block_->clear();
    const int i = stimulus_->currentIndex(), c = frameColumn_->currentIndex();
    if (i < 0 || i >= int(summary_.stimuli.size())) return;
    const auto& columns = summary_.stimuli[std::size_t(i)].columns;
    if (c < 0 || c >= int(columns.size())) return;
    const auto& blocks = columns[std::size_t(c)].repeatsPerBlock;
    for (std::size_t b = 0; b < blocks.size(); ++b)
        block_->addItem(tr("Block %1 (%2 repeats)").arg(b).arg(blocks[b]), int(b));
    if (blocks.size() > 1) {
        int total = 0;
        for (int n : blocks) total += n;
        block_->addItem(tr("All blocks (%1 repeats)").arg(total), ReadOptions::kAllBlocks);
        block_->setItemData(block_->count() - 1,
                            tr("The complete repeats of every block as one recording; each "
                               "repeat keeps its block"),
                            Qt::ToolTipRole);
    }
}

void NwbOptionsDialog::fillAreas()
{
    const QString previous = area_->currentData().toString();
    area_->clear();
    const auto& areas = filter_->isChecked() ? summary_.areasQc : summary_.areas;
    int total = 0;
    for (const auto& [name, count] : areas) total += count;
    area_->addItem(tr("All areas (%1 units)").arg(total), QString());
    for (const auto& [name, count] : areas)
        area_->addItem(tr("%1 (%2 units)").arg(QString::fromStdString(name)).arg(count),
                       QString::fromStdString(name));
    area_->setCurrentIndex(std::max(0, area_->findData(previous)));
}

ReadOptions NwbOptionsDialog::options() const
{
    ReadOptions o;
    o.area = area_->currentData().toString().toStdString();
    o.stimulus = stimulus_->currentData().toString().toStdString();
    o.frameColumn = frameColumn_->currentData().toString().toStdString();
    o.block = block_->currentData().toInt();
    o.qcFilter = filter_->isChecked();
    o.binsPerFrame = binsPerFrame_->value();
    if (traces_) {
        o.traces = traces_->currentData().toString().toStdString();
        o.area.clear();
        o.qcFilter = false;
    }
    return o;
}

}  // namespace neurolens

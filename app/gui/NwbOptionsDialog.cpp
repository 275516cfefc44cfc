#include "NwbOptionsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

namespace neurolens {

NwbOptionsDialog::NwbOptionsDialog(const QString& path, const NwbSummary& summary, QWidget* parent)
    : QDialog(parent), summary_(summary)
{
    setWindowTitle(tr("Open NWB session"));
    auto* form = new QFormLayout(this);
    auto* heading = new QLabel(tr("<b>%1</b><br>%2 units, %3 passing the AllenSDK quality filter")
                                   .arg(QFileInfo(path).fileName())
                                   .arg(summary.units)
                                   .arg(summary.unitsPassingQc),
                               this);
    form->addRow(heading);
    filter_ = new QCheckBox(tr("AllenSDK unit filter (quality good, amplitude cutoff ≤ 0.1, "
                               "presence ≥ 0.95, ISI ≤ 0.5)"),
                            this);
    filter_->setChecked(true);
    form->addRow(filter_);
    area_ = new QComboBox(this);
    form->addRow(tr("Area:"), area_);
    stimulus_ = new QComboBox(this);
    for (const auto& t : summary.stimuli)
        stimulus_->addItem(
            tr("%1 (%2 frames)").arg(QString::fromStdString(t.name)).arg(t.framesPerRepeat),
            QString::fromStdString(t.name));
    form->addRow(tr("Stimulus:"), stimulus_);
    block_ = new QComboBox(this);
    form->addRow(tr("Block:"), block_);
    binsPerFrame_ = new QSpinBox(this);
    binsPerFrame_->setRange(1, 64);
    binsPerFrame_->setValue(4);
    binsPerFrame_->setToolTip(
        tr("Each frame's presentation interval is cut into this many equal bins (4: 120 Hz)"));
    form->addRow(tr("Bins per frame:"), binsPerFrame_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(stimulus_, &QComboBox::currentIndexChanged, this, [this] { fillBlocks(); });
    connect(filter_, &QCheckBox::toggled, this, [this] { fillAreas(); });
    fillBlocks();
    fillAreas();
}

void NwbOptionsDialog::fillBlocks()
{
    block_->clear();
    const int i = stimulus_->currentIndex();
    if (i < 0 || i >= int(summary_.stimuli.size())) return;
    const auto& blocks = summary_.stimuli[std::size_t(i)].repeatsPerBlock;
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
    o.block = block_->currentData().toInt();
    o.qcFilter = filter_->isChecked();
    o.binsPerFrame = binsPerFrame_->value();
    return o;
}

}  // namespace neurolens

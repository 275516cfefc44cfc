#include "PreprocessPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>

namespace neurolens {

PreprocessPanel::PreprocessPanel(QWidget* parent) : QWidget(parent)
{
    auto* form = new QFormLayout(this);
    area_ = new QComboBox(this);
    area_->setToolTip(tr("Analyse the units of one brain area only"));
    bin_ = new QComboBox(this);
    bin_->setToolTip(
        tr("Average this many consecutive bins (the report averages 4 bins of 120 Hz into one 30 "
           "Hz sample per frame)"));
    dropSilent_ = new QCheckBox(tr("Drop units silent in any repeat"), this);
    dropSilent_->setChecked(true);
    useTopVariance_ = new QCheckBox(tr("Keep top-variance units"), this);
    useTopVariance_->setToolTip(
        tr("Keep the fewest highest-variance units whose variance sum reaches the fraction"));
    topVariance_ = new QDoubleSpinBox(this);
    topVariance_->setRange(0.05, 1.0);
    topVariance_->setSingleStep(0.05);
    topVariance_->setDecimals(2);
    topVariance_->setValue(0.95);
    topVariance_->setEnabled(false);
    apply_ = new QPushButton(tr("Apply"), this);
    apply_->setToolTip(tr("Recompute the analyses with these settings"));
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    form->addRow(tr("Area:"), area_);
    form->addRow(tr("Bin size:"), bin_);
    form->addRow(dropSilent_);
    form->addRow(useTopVariance_, topVariance_);
    form->addRow(apply_);
    form->addRow(summary_);
    connect(useTopVariance_, &QCheckBox::toggled, topVariance_, &QWidget::setEnabled);
    connect(apply_, &QPushButton::clicked, this, [this] { Q_EMIT applyRequested(options()); });
}

void PreprocessPanel::setRecording(const RecordingPtr& recording)
{
    const QString area = area_->currentData().toString();
    area_->clear();
    bin_->clear();
    if (!recording) return;
    area_->addItem(tr("All (%1 units)").arg(recording->responses.units()), QString());
    for (const auto& [name, count] : recording->units.areaCounts())
        area_->addItem(tr("%1 (%2)").arg(QString::fromStdString(name)).arg(count),
                       QString::fromStdString(name));
    area_->setCurrentIndex(std::max(0, area_->findData(area)));
    const auto& r = recording->responses;
    for (int k = 1; k <= r.binsPerFrame(); ++k) {
        if (r.binsPerFrame() % k) continue;
        const double hz = r.binRateHz() / k;
        bin_->addItem(tr("%1 → %2 Hz").arg(k).arg(hz, 0, 'g', 4), k);
    }
    bin_->setCurrentIndex(bin_->count() - 1);
}

PreprocessOptions PreprocessPanel::options() const
{
    PreprocessOptions o;
    o.area = area_->currentData().toString().toStdString();
    o.bin = bin_->currentData().toInt();
    o.dropSilent = dropSilent_->isChecked();
    o.topVariance = useTopVariance_->isChecked() ? topVariance_->value() : 1.0;
    return o;
}

void PreprocessPanel::setOptions(const PreprocessOptions& o)
{
    area_->setCurrentIndex(std::max(0, area_->findData(QString::fromStdString(o.area))));
    const int bin = bin_->findData(o.bin);
    if (bin >= 0) bin_->setCurrentIndex(bin);
    dropSilent_->setChecked(o.dropSilent);
    useTopVariance_->setChecked(o.topVariance < 1.0);
    if (o.topVariance < 1.0) topVariance_->setValue(o.topVariance);
}

void PreprocessPanel::setSummary(const QString& text)
{
    summary_->setText(text);
}

}  // namespace neurolens

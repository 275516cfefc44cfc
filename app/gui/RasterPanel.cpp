#include "RasterPanel.h"

#include "neurolens/widgets/FlowLayout.h"

#include "neurolens/widgets/RasterView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QVBoxLayout>

namespace neurolens {

RasterPanel::RasterPanel(SampleSelection& selection, QWidget* parent)
    : QWidget(parent), selection_(selection)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* bar = new FlowLayout;
    repeat_ = new QComboBox(this);
    repeat_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    repeat_->setToolTip(tr("One repeat, or the mean over all repeats"));
    sort_ = new QComboBox(this);
    sort_->addItem(tr("PC1 loading"), QStringLiteral("pc1"));
    sort_->addItem(tr("Firing rate"), QStringLiteral("rate"));
    sort_->addItem(tr("Area"), QStringLiteral("area"));
    sort_->addItem(tr("Unit id"), QStringLiteral("id"));
    bar->addWidget(FlowLayout::group({new QLabel(tr("Responses:"), this), repeat_}, this));
    bar->addWidget(FlowLayout::group({new QLabel(tr("Sort units by:"), this), sort_}, this));
    perUnit_ = new QCheckBox(tr("Scale each unit"), this);
    perUnit_->setToolTip(
        tr("Colour each unit relative to its own range, so weak units show their timing"));
    perUnit_->setChecked(true);
    bar->addWidget(perUnit_);
    layout->addLayout(bar);
    view_ = new RasterView(this);
    view_->setPerUnitScale(perUnit_->isChecked());
    layout->addWidget(view_, 1);
    connect(perUnit_, &QCheckBox::toggled, view_, &RasterView::setPerUnitScale);

    connect(repeat_, &QComboBox::currentIndexChanged, this, [this] { showData(); });
    connect(sort_, &QComboBox::currentIndexChanged, this, [this] { applyOrder(); });
    connect(view_, &RasterView::binClicked, this, [this](int bin) {
        const int shown = shownRepeat();
        const int repeat = shown >= 0 ? shown : std::max(0, selection_.current().repeat);
        selection_.select({repeat, bin});
    });
    connect(&selection_, &SampleSelection::changed, this, [this](const Sample& s) {
        const int shown = shownRepeat();
        if (s.valid() && shown >= 0 && s.repeat != shown) repeat_->setCurrentIndex(s.repeat + 1);
        view_->setCursorBin(s.bin);
    });
}

int RasterPanel::shownRepeat() const
{
    return repeat_->currentIndex() - 1;
}

void RasterPanel::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    const QSignalBlocker block(repeat_);
    const int previous = repeat_->currentIndex();
    repeat_->clear();
    if (analysis_) {
        repeat_->addItem(tr("Mean of %1 repeats").arg(analysis_->repeats()));
        for (int r = 0; r < analysis_->repeats(); ++r) repeat_->addItem(tr("Repeat %1").arg(r));
        repeat_->setCurrentIndex(std::clamp(previous, 0, repeat_->count() - 1));
    }
    showData();
}

void RasterPanel::showData()
{
    if (!analysis_) {
        view_->setData(RowMatrixXf(), 30.0, {}, {});
        return;
    }
    const Responses& r = analysis_->pre.recording.responses;
    const int shown = shownRepeat();
    const RowMatrixXf shownData =
        shown >= 0 ? RowMatrixXf(r.repeat(shown)) : analysis_->meanOverRepeats;
    QStringList labels;
    for (auto id : analysis_->pre.recording.units.id) labels << QString::number(id);
    const QString unit = r.continuous()          ? tr("value (continuous)")
                         : r.binsPerFrame() == 1 ? tr("spikes per frame")
                                                 : tr("spikes per bin");
    view_->setData(shownData, r.binRateHz(), shown >= 0 ? unit : tr("mean %1").arg(unit), labels);
    applyOrder();
    view_->setCursorBin(selection_.current().bin);
}

void RasterPanel::applyOrder()
{
    if (!analysis_) return;
    const QString key = sort_->currentData().toString();
    if (key == QLatin1String("pc1"))
        view_->setRowOrder(analysis_->orderByPc1);
    else if (key == QLatin1String("rate"))
        view_->setRowOrder(analysis_->orderByRate);
    else if (key == QLatin1String("area"))
        view_->setRowOrder(analysis_->orderByArea);
    else
        view_->setRowOrder({});
}

}  // namespace neurolens

#include "UnitPanel.h"

#include "neurolens/models/Alignment.h"
#include "neurolens/widgets/UnitView.h"

#include <QVBoxLayout>

#include <cmath>

namespace neurolens {

UnitPanel::UnitPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    view_ = new UnitView(this);
    layout->addWidget(view_, 1);
}

void UnitPanel::setAnalysis(AnalysisPtr analysis)
{
    const bool same = sameData(analysis, analysis_);
    analysis_ = std::move(analysis);
    if (!same) {
        unit_ = -1;
        view_->clear(
            tr("Click a unit (in the unit table, the alignment's lists or a raster row) "
               "to see it here."));
    }
}

void UnitPanel::showUnit(int unit, const AlignmentComparison* alignment)
{
    if (!analysis_) return;
    const Recording& rec = analysis_->pre.recording;
    if (unit < 0 || unit >= rec.units.size()) return;
    unit_ = unit;
    const Responses& r = rec.responses;
    UnitView::Unit u;
    u.title = tr("Unit %1 · %2")
                  .arg(rec.units.id[std::size_t(unit)])
                  .arg(QString::fromStdString(rec.units.area[std::size_t(unit)]));
    u.binRateHz = r.binRateHz();
    u.valueLabel = tr("per bin of %1 ms").arg(1000.0 / r.binRateHz(), 0, 'g', 3);
    u.repeatsByBins.resize(r.repeats(), r.bins());
    for (int rep = 0; rep < r.repeats(); ++rep)
        for (int b = 0; b < r.bins(); ++b) u.repeatsByBins(rep, b) = r.at(rep, b, unit);
    if (std::size_t(unit) < analysis_->rateHz.size())
        u.facts << tr("rate %1 Hz").arg(analysis_->rateHz[std::size_t(unit)], 0, 'g', 3);
    for (const auto& [name, values] : rec.units.qc)
        if (std::size_t(unit) < values.size() && std::isfinite(values[std::size_t(unit)]))
            u.facts << QStringLiteral("%1 %2")
                           .arg(QString::fromStdString(name))
                           .arg(values[std::size_t(unit)], 0, 'g', 3);
    if (alignment && alignment->result.r2PerUnit.size() == rec.units.size())
        u.facts << tr("alignment R² %1 (%2), PCA of the same dimension %3")
                       .arg(alignment->result.r2PerUnit[unit], 0, 'f', 3)
                       .arg(QString::fromStdString(alignment->embedding))
                       .arg(alignment->pca.r2PerUnit[unit], 0, 'f', 3);
    view_->setUnit(std::move(u));
}

}  // namespace neurolens

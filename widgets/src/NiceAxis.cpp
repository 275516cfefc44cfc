#include "neurolens/widgets/NiceAxis.h"

#include "neurolens/figures/NiceScale.h"

#include <QValueAxis>

namespace neurolens {

void applyNiceScale(QValueAxis* axis, double min, double max, int target)
{
    const NiceScale s = niceScale(min, max, target);
    axis->setRange(s.lo, s.hi);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(s.lo);
    axis->setTickInterval(s.step);
    axis->setLabelFormat(QStringLiteral("%.%1f").arg(s.decimals));
}

}  // namespace neurolens

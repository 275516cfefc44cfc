#include "neurolens/widgets/UnitTableModel.h"

#include <cmath>

namespace neurolens {

void UnitTableModel::setUnits(const UnitTable& units, const std::vector<double>& rateHz,
                              const QString& rateTitle)
{
    beginResetModel();
    rateTitle_ = rateTitle;
    units_ = units;
    rate_ = rateHz;
    qcNames_.clear();
    for (const auto& [name, column] : units_.qc)
        if (name != "firing_rate" || rate_.empty()) qcNames_.push_back(name);
    endResetModel();
}

int UnitTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : units_.size();
}

int UnitTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 3 + int(qcNames_.size());
}

QVariant UnitTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() ||
        (role != Qt::DisplayRole && role != Qt::UserRole && role != Qt::TextAlignmentRole))
        return {};
    const int r = index.row(), c = index.column();
    if (role == Qt::TextAlignmentRole)
        return c == 1 ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                      : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    if (c == 0) return QVariant::fromValue<qlonglong>(units_.id[r]);
    if (c == 1) return QString::fromStdString(units_.area[r]);
    const double v =
        c == 2 ? (r < int(rate_.size()) ? rate_[r] : NAN) : units_.qc.at(qcNames_[c - 3])[r];
    if (role == Qt::UserRole) return std::isnan(v) ? QVariant(-1e300) : QVariant(v);
    return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'g', 4);
}

QVariant UnitTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    if (section == 0) return tr("id");
    if (section == 1) return tr("area");
    if (section == 2) return rateTitle_;
    return QString::fromStdString(qcNames_[section - 3]);
}

}  // namespace neurolens

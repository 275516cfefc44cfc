#pragma once
// The units of a recording as a table: id, area, firing rate and every QC column. Numbers sort as
// numbers (Qt::UserRole holds the raw value).

#include "neurolens/data/Recording.h"

#include <QAbstractTableModel>

#include <string>
#include <vector>

namespace neurolens {

class UnitTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    // `rateHz` (optional, one per unit) is shown as the firing-rate column, under `rateTitle`
    // (continuous responses show their mean value there).
    void setUnits(const UnitTable& units, const std::vector<double>& rateHz,
                  const QString& rateTitle = tr("rate (Hz)"));
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    UnitTable units_;
    std::vector<double> rate_;
    QString rateTitle_;
    std::vector<std::string> qcNames_;
};

}  // namespace neurolens

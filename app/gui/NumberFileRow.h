#pragma once
// A form row for a file of numbers (.npy or .csv): a line edit and a Browse… button starting in
// `folder`. Shared by the options dialogs that ask for frame onsets or labels.

#include <QString>

class QDialog;
class QFormLayout;
class QLineEdit;

namespace neurolens {

QLineEdit* addNumberFileRow(QDialog* dialog, QFormLayout* form, const QString& label,
                            const QString& placeholder, const QString& folder);

}  // namespace neurolens

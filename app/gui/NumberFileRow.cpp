#include "NumberFileRow.h"

#include <QDialog>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace neurolens {

QLineEdit* addNumberFileRow(QDialog* dialog, QFormLayout* form, const QString& label,
                            const QString& placeholder, const QString& folder)
{
    auto* row = new QHBoxLayout;
    auto* edit = new QLineEdit(dialog);
    edit->setPlaceholderText(placeholder);
    edit->setMinimumWidth(320);
    auto* browse = new QPushButton(QDialog::tr("Browse…"), dialog);
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    QObject::connect(browse, &QPushButton::clicked, dialog, [dialog, edit, label, folder] {
        const QString path = QFileDialog::getOpenFileName(
            dialog, label, edit->text().isEmpty() ? folder : edit->text(),
            QDialog::tr("Numbers (*.npy *.csv);;All files (*)"));
        if (!path.isEmpty()) edit->setText(path);
    });
    return edit;
}

}  // namespace neurolens

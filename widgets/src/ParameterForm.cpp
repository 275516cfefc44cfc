#include "neurolens/widgets/ParameterForm.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>

#include <algorithm>
#include <climits>
#include <cmath>

namespace neurolens {

ParameterForm::ParameterForm(std::vector<ParameterSpec> specs, QWidget* parent,
                             Qt::Orientation orientation)
    : QWidget(parent), specs_(std::move(specs))
{
    QFormLayout* form = nullptr;
    QHBoxLayout* row = nullptr;
    if (orientation == Qt::Vertical) {
        form = new QFormLayout(this);
        form->setContentsMargins(0, 0, 0, 0);
    } else {
        row = new QHBoxLayout(this);
        row->setContentsMargins(0, 0, 0, 0);
    }
    const auto add = [&](const QString& label, QWidget* field) {
        if (form) {
            form->addRow(label, field);
            return;
        }
        if (!label.isEmpty()) row->addWidget(new QLabel(label, this));
        row->addWidget(field);
        row->addSpacing(6);
    };
    for (const ParameterSpec& s : specs_) {
        QWidget* field = nullptr;
        if (s.kind == ParameterSpec::Kind::Choice) {
            auto* box = new QComboBox(this);
            for (const std::string& c : s.choices)
                box->addItem(QString::fromStdString(c), QString::fromStdString(c));
            connect(box, &QComboBox::currentIndexChanged, this, &ParameterForm::changed);
            field = box;
        } else if (s.kind == ParameterSpec::Kind::Integer) {
            auto* box = new QSpinBox(this);
            box->setRange(int(std::max<double>(INT_MIN, s.minimum + (s.aboveMinimum ? 1 : 0))),
                          int(std::min<double>(INT_MAX, s.maximum)));
            box->setValue(int(s.value));
            connect(box, &QSpinBox::valueChanged, this, &ParameterForm::changed);
            field = box;
        } else {
            auto* box = new QDoubleSpinBox(this);
            box->setDecimals(
                s.logScale ? 4 : 2);  // penalties span decades; other reals are plain quantities
            // A spin box cannot exclude its minimum: the smallest step above it stands in.
            box->setRange(s.aboveMinimum ? s.minimum + 1e-4 : s.minimum, s.maximum);
            box->setValue(s.value);
            if (s.logScale) box->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
            connect(box, &QDoubleSpinBox::valueChanged, this, &ParameterForm::changed);
            field = box;
        }
        field->setObjectName(QString::fromStdString(s.name));
        field->setToolTip(QString::fromStdString(s.help));
        add(QString::fromStdString(s.title) + QLatin1Char(':'), field);
        fields_.push_back(field);
    }
    if (specs_.empty()) add({}, new QLabel(tr("No parameters."), this));
    if (row) row->addStretch(1);
}

Parameters ParameterForm::values() const
{
    Parameters out;
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        const ParameterSpec& s = specs_[i];
        if (auto* c = qobject_cast<QComboBox*>(fields_[i]))
            out.choices[s.name] = c->currentData().toString().toStdString();
        else if (auto* n = qobject_cast<QSpinBox*>(fields_[i]))
            out.numbers[s.name] = n->value();
        else if (auto* d = qobject_cast<QDoubleSpinBox*>(fields_[i]))
            out.numbers[s.name] = d->value();
    }
    return out;
}

void ParameterForm::setValues(const Parameters& values)
{
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        const std::string& name = specs_[i].name;
        if (auto* c = qobject_cast<QComboBox*>(fields_[i])) {
            const auto it = values.choices.find(name);
            if (it != values.choices.end()) {
                const int index = c->findData(QString::fromStdString(it->second));
                if (index >= 0) c->setCurrentIndex(index);
            }
            continue;
        }
        const auto it = values.numbers.find(name);
        if (it == values.numbers.end() || !std::isfinite(it->second)) continue;
        if (auto* n = qobject_cast<QSpinBox*>(fields_[i]))
            n->setValue(int(std::lround(it->second)));
        else if (auto* d = qobject_cast<QDoubleSpinBox*>(fields_[i]))
            d->setValue(it->second);
    }
}

QWidget* ParameterForm::field(const std::string& name) const
{
    for (std::size_t i = 0; i < specs_.size(); ++i)
        if (specs_[i].name == name) return fields_[i];
    return nullptr;
}

}  // namespace neurolens

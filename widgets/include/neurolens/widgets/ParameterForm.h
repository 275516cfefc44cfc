#pragma once
// A form for a method's parameters, built from their specs: a spin box per number (with its range
// and help as tooltip), a list per choice. The decoder panel and the embedding methods use it, so a
// new method's options appear in the window without code of their own.

#include "neurolens/data/Parameters.h"

#include <QWidget>

#include <vector>

namespace neurolens {

class ParameterForm : public QWidget {
    Q_OBJECT
public:
    // Vertical: a form, a row per parameter; horizontal: one row of label and field pairs (under a
    // toolbar).
    explicit ParameterForm(std::vector<ParameterSpec> specs, QWidget* parent = nullptr,
                           Qt::Orientation orientation = Qt::Vertical);
    const std::vector<ParameterSpec>& specs() const { return specs_; }
    // Every parameter as the form shows it.
    Parameters values() const;
    // Shows the given values; those the form lacks are ignored, those missing keep their fields.
    void setValues(const Parameters& values);
    // The field of one parameter (null when there is none), e.g. to focus it.
    QWidget* field(const std::string& name) const;

Q_SIGNALS:
    void changed();

private:
    std::vector<ParameterSpec> specs_;
    std::vector<QWidget*> fields_;  // one per spec
};

}  // namespace neurolens

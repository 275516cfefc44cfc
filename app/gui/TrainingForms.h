#pragma once
// The Training dock's two model forms: the VAE's (the seed report's study) and CEBRA's. Each holds
// its model's parameters (defaults and tooltips), offers the analysis' image features where the
// model can use them, and turns its fields into the model's options. What both share (repeats,
// seed, threads, the result's name) stays in the dock.

#include "AnalysisController.h"

#include "neurolens/models/Cebra.h"
#include "neurolens/models/CebraControls.h"
#include "neurolens/models/Vae.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace neurolens {

class VaeForm : public QWidget {
    Q_OBJECT
public:
    explicit VaeForm(QWidget* parent = nullptr);
    // Offers none, frame ID and the analysis' image features as guidance (keeps the choice when it
    // remains).
    void setAnalysis(const AnalysisPtr& analysis);
    VaeOptions options(std::uint64_t seed) const;
    // "none", "frame" or "features:NAME".
    QString guidanceName() const;
    // One line for the log.
    QString describe(const Analysis& analysis) const;
    QComboBox* guidance() const { return guidance_; }
    QSpinBox* epochs() const { return epochs_; }
    QSpinBox* latent() const { return latent_; }

private:
    QComboBox* guidance_ = nullptr;
    QSpinBox* latent_ = nullptr;
    QSpinBox* epochs_ = nullptr;
    QDoubleSpinBox* beta_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QDoubleSpinBox* lr_ = nullptr;
    QDoubleSpinBox* weight_ = nullptr;
};

class CebraForm : public QWidget {
    Q_OBJECT
public:
    explicit CebraForm(QWidget* parent = nullptr);
    // Offers time, frame ID and the analysis' image features as conditionals.
    void setAnalysis(const AnalysisPtr& analysis);
    CebraOptions options(std::uint64_t seed, const RepeatSplit& split) const;
    CebraControlOptions controls(std::uint64_t seed, int threads) const;
    // "time", "frame" or "features:NAME".
    QString conditionalName() const;
    QString describe(const Analysis& analysis, const CebraOptions& options) const;
    QComboBox* architecture() const { return architecture_; }
    QComboBox* conditional() const { return conditional_; }
    QSpinBox* iterations() const { return iterations_; }
    QSpinBox* dims() const { return dims_; }
    QSpinBox* batch() const { return batch_; }
    QSpinBox* encoderShuffles() const { return shuffles_; }
    QCheckBox* timeOnly() const { return timeOnly_; }

private:
    QComboBox* architecture_ = nullptr;
    QComboBox* conditional_ = nullptr;
    QSpinBox* dims_ = nullptr;
    QSpinBox* iterations_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QDoubleSpinBox* lr_ = nullptr;
    QDoubleSpinBox* temperature_ = nullptr;
    QCheckBox* learnable_ = nullptr;
    QSpinBox* timeOffset_ = nullptr;
    QSpinBox* shuffles_ = nullptr;
    QCheckBox* timeOnly_ = nullptr;
};

// The image-feature sets of an analysis, as (title, "features:NAME"): loaded ones first, then the
// built-in Gabor energy features when there is a movie and no such set yet.
std::vector<std::pair<QString, QString>> imageFeatureChoices(const AnalysisPtr& analysis);
// The analysis' behaviour series as CEBRA labels, as (title, "behaviour:NAME"), and all of them
// together when there are several.
std::vector<std::pair<QString, QString>> behaviourChoices(const AnalysisPtr& analysis);

}  // namespace neurolens

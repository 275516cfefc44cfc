// The one parser of "raw | pca:K | NAME" (issue #19: two parsers had disagreed on "pca:3x"), and
// the features it gives: PCA fitted on the listed repeats only.
#include "TestSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/embed/FeatureInput.h"
#include "neurolens/embed/Tsne.h"

#include <gtest/gtest.h>

using namespace neurolens;

TEST(FeatureInput, ParsesRawPcaAndStoredNamesAndRefusesTheRest)
{
    EXPECT_EQ(FeatureInput::parse("raw").kind, FeatureInput::Kind::Raw);
    const FeatureInput pca = FeatureInput::parse("pca:12");
    EXPECT_EQ(pca.kind, FeatureInput::Kind::Pca);
    EXPECT_EQ(pca.components, 12);
    EXPECT_EQ(pca.text(), "pca:12");
    const FeatureInput stored = FeatureInput::parse("cebra");
    EXPECT_EQ(stored.kind, FeatureInput::Kind::Stored);
    EXPECT_EQ(stored.text(), "cebra");
    for (const char* bad : {"pca:", "pca:0", "pca:3x", "pca:-2", "pca:99999999999", ""})
        EXPECT_THROW(FeatureInput::parse(bad), UsageError) << bad;
    // The decoders and t-SNE read the same way: the same refusal from both.
    Recording rec = test::smallRecording(4, 10, 6, 1);
    EXPECT_THROW(embeddingInput(rec, "pca:3x"), UsageError);
    DecodeOptions o;
    o.features = "pca:3x";
    EXPECT_THROW(decodeFrames(rec, o), UsageError);
    EXPECT_EQ(frameDecoder("logistic").name, "logistic");
    EXPECT_THROW(frameDecoder("forest"), UsageError);
}

TEST(FeatureInput, PcaIsFittedOnTheListedRepeatsAndNamesAreLookedUp)
{
    Recording rec = test::smallRecording(4, 10, 6, 1);
    // Repeats 2 and 3 vary along unit 0 far more than repeats 0 and 1: their PCA axes differ.
    for (int r = 2; r < 4; ++r)
        for (int b = 0; b < 10; ++b) rec.responses.at(r, b, 0) += float(10 * (b % 3));
    const RowMatrixXf all = featureRows(rec, FeatureInput::parse("pca:2"));
    const RowMatrixXf fit = featureRows(rec, FeatureInput::parse("pca:2"), {0, 1});
    ASSERT_EQ(all.rows(), 40);
    ASSERT_EQ(fit.cols(), 2);
    EXPECT_GT((all.cwiseAbs() - fit.cwiseAbs()).cwiseAbs().maxCoeff(), 1e-4f);  // a different fit
    try {
        featureRows(rec, FeatureInput::parse("nosuch"));
        ADD_FAILURE();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("raw, pca:K"), std::string::npos);
    }
    rec.results["short"] = Embedding{"x", "{}", 0, RowMatrixXf::Zero(3, 2)};
    EXPECT_THROW(featureRows(rec, FeatureInput::parse("short")), UsageError);
    rec.results["ok"] = Embedding{"x", "{}", 0, RowMatrixXf::Ones(40, 2)};
    EXPECT_EQ(featureRows(rec, FeatureInput::parse("ok")).rows(), 40);
}

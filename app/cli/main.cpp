// neurolens-cli: the headless front end (docs/cli.md). Parses arguments (the analysis commands'
// options here, the shared ones and the recording commands' in CliOptions.cpp), runs one command,
// and turns every error into one line on stderr and an exit code.

#include "CliCommands.h"
#include "CliOptions.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/BehaviourDecoding.h"
#include "neurolens/decode/FrameDecoder.h"
#include "neurolens/embed/EmbeddingMethod.h"
#include "neurolens/jobs/ThreadEnvironment.h"
#include "neurolens/linalg/Simd.h"
#include "neurolens/models/Cebra.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

using namespace neurolens;
using namespace neurolens::cli;

namespace {

Progress* g_progress = nullptr;

extern "C" void onInterrupt(int)
{
    if (g_progress) g_progress->cancel();
}

Command addPca(CLI::App& app, Common& common)
{
    auto args = std::make_shared<PcaArgs>();
    PcaArgs& pca = *args;
    auto* pcaCmd = app.add_subcommand(
        "pca", "Principal component analysis: explained-variance spectrum and projections");
    pcaCmd->add_option("file", pca.file, "Recording")->required();
    pcaCmd->add_option("--out", pca.out,
                       "Store the projection under /results/<name> of this native file");
    pcaCmd->add_option("--name", pca.name, "Result name (default: pca)");
    pcaCmd
        ->add_option("--components", pca.components, "Components to store with --out (default 10)")
        ->check(CLI::Range(1, 1000000));
    addPreprocess(pcaCmd, pca.pre);
    addCommon(pcaCmd, common);
    return {pcaCmd,
            [args, &common](Progress& progress) { return runPca(*args, common, progress); }};
}

Command addTsne(CLI::App& app, Common& common)
{
    auto args = std::make_shared<TsneArgs>();
    TsneArgs& ts = *args;
    auto* tsneCmd = app.add_subcommand(
        "tsne", "t-SNE of the samples in 2D or 3D (FFT-accelerated in 2D, Barnes-Hut in 3D)");
    tsneCmd->add_option("file", ts.file, "Recording")->required();
    tsneCmd->add_option("--dims", ts.dims, "2 (default) or 3")->check(CLI::IsMember({2, 3}));
    tsneCmd->add_option("--perplexity", ts.perplexity, "Perplexity (default 30)")
        ->check(CLI::PositiveNumber);
    tsneCmd
        ->add_option("--iterations", ts.iterations,
                     "Iterations, 250 of them exaggerated (default 1000)")
        ->check(CLI::Range(1, 100000));
    tsneCmd->add_option("--input", ts.input,
                        "raw (responses, default), pca:K (first K PCs) or a stored embedding");
    tsneCmd
        ->add_option("--repulsion", ts.repulsion,
                     "auto (default: fft in 2D, bh in 3D), fft or bh (Barnes-Hut)")
        ->check(CLI::IsMember({"auto", "fft", "bh"}));
    tsneCmd->add_option(
        "--init", ts.init,
        "pca (default), random, or a stored layout of the file (/results/NAME, samples x dims)");
    tsneCmd->add_option("--seed", ts.seed, "Seed (random initialisation)");
    tsneCmd->add_option("--out", ts.out,
                        "Store the layout under /results/<name> of this native file");
    tsneCmd->add_option("--name", ts.name, "Result name (default: tsne)");
    addPreprocess(tsneCmd, ts.pre);
    addCommon(tsneCmd, common);
    return {tsneCmd,
            [args, &common](Progress& progress) { return runTsne(*args, common, progress); }};
}

Command addEmbed(CLI::App& app, Common& common)
{
    auto args = std::make_shared<EmbedArgs>();
    EmbedArgs& em = *args;
    auto* embed = app.add_subcommand(
        "embed", "Embed the samples with any registered method (" + embeddingMethodNames() + ")");
    embed->add_option("file", em.file, "Recording")->required();
    embed->add_option("--method", em.method,
                      "The method: " + embeddingMethodNames() + " (default pca)");
    embed->add_option("--dims", em.dims, "Dimensions of the embedding (default 2)")
        ->check(CLI::Range(1, 100000));
    embed->add_option("--input", em.input,
                      "raw (responses, default), pca:K (first K PCs) or a stored embedding");
    // Every method's parameters, as the registry describes them; embed refuses one the chosen
    // method lacks.
    std::vector<std::pair<std::string, std::vector<ParameterSpec>>> methods;
    for (const EmbeddingSpec& m : embeddingMethods()) methods.emplace_back(m.name, m.parameters);
    addParameterOptions(embed, methods, em.parameters);
    embed->add_option("--seed", em.seed, "Seed (default 1)");
    embed->add_option("--out", em.out,
                      "Store the embedding under /results/<name> of this native file");
    embed->add_option("--name", em.name, "Result name (default: the method's)");
    addPreprocess(embed, em.pre);
    addCommon(embed, common);
    return {embed,
            [args, &common](Progress& progress) { return runEmbed(*args, common, progress); }};
}

Command addTrainVae(CLI::App* train, Common& common)
{
    auto args = std::make_shared<TrainVaeArgs>();
    TrainVaeArgs& vae = *args;
    auto* vaeCmd = train->add_subcommand(
        "vae", "The seed report's VAE: MSE + beta KL, optional frame-ID or image-feature guidance");
    vaeCmd->add_option("file", vae.file, "Recording")->required();
    vaeCmd->add_option("--guidance", vae.guidance,
                       "none (default), frame (900-way head) or features:NAME (first 32 PCs of "
                       "per-frame features)");
    vaeCmd->add_option("--latent", vae.latent, "Latent dimensions (default 128)")
        ->check(CLI::Range(1, 100000));
    vaeCmd->add_option("--epochs", vae.epochs, "Epochs (default 200)")
        ->check(CLI::Range(1, 1000000));
    vaeCmd->add_option("--beta", vae.beta, "Weight of the KL term (default 0.05)")
        ->check(CLI::NonNegativeNumber);
    vaeCmd->add_option("--batch", vae.batch, "Mini-batch size (default 128)")
        ->check(CLI::Range(1, 1000000));
    vaeCmd->add_option("--lr", vae.learningRate, "Adam learning rate (default 1e-3)")
        ->check(CLI::PositiveNumber);
    vaeCmd
        ->add_option("--guidance-weight", vae.guidanceWeight,
                     "Weight of the guidance loss (default 1)")
        ->check(CLI::NonNegativeNumber);
    vaeCmd->add_option("--seed", vae.seed, "Seed: weights, mini-batches and sampling");
    vaeCmd
        ->add_option("--threads", vae.threads,
                     "LibTorch threads (default 1, the fastest measured here; 0: all cores)")
        ->check(CLI::Range(0, 1024));
    vaeCmd->add_option("--device", vae.device, "cpu (default) or cuda when this LibTorch has it");
    vaeCmd->add_option("--checkpoint", vae.checkpoint,
                       "Write a checkpoint here every 10 epochs and at the end");
    vaeCmd->add_option("--resume", vae.resume,
                       "Continue from this checkpoint (same data and options)");
    vaeCmd->add_option("--out", vae.out,
                       "Store the latent means under /results/<name> of this native file");
    vaeCmd->add_option("--name", vae.name, "Result name (default: vae)");
    addSplit(vaeCmd, vae.split, "they choose nothing here and report the validation R²");
    addPreprocess(vaeCmd, vae.pre);
    addCommon(vaeCmd, common);
    return {vaeCmd,
            [args, &common](Progress& progress) { return runTrainVae(*args, common, progress); }};
}

Command addTrainCebra(CLI::App* train, Common& common)
{
    auto args = std::make_shared<TrainCebraArgs>();
    TrainCebraArgs& ceb = *args;
    auto* cebraCmd = train->add_subcommand(
        "cebra",
        "CEBRA (InfoNCE on a convolutional or MLP encoder), decoded by kNN as the paper does");
    cebraCmd->add_option("file", ceb.file, "Recording")->required();
    cebraCmd->add_option(
        "--conditional", ceb.conditional,
        "time (default, CEBRA-Time), frame (positives: the same frame in another repeat), "
        "features:NAME "
        "(CEBRA's time_delta on per-frame features; 'gabor' = built-in), behaviour:NAME[,NAME] "
        "(time_delta on the recording's behaviour, e.g. running_speed), or hybrid:NAME / "
        "hybrid:behaviour:NAME (time and labels, alternating)");
    std::string models;
    for (const CebraArchitectureSpec& a : cebraArchitectures())
        models += (models.empty() ? "" : "; ") + a.name + ": " + a.help;
    cebraCmd->add_option("--model", ceb.model,
                         "The encoder (default offset10). " + models +
                             ". The reference's registry names are accepted too");
    cebraCmd
        ->add_option("--validate-every", ceb.validateEvery,
                     "Score kNN decoding on the validation repeats every N steps (rounded up to "
                     "hundreds), in the history (default "
                     "1000; 0: never)")
        ->check(CLI::Range(0, 10000000));
    cebraCmd->add_option("--dim", ceb.dim, "Output dimensions (default 128)")
        ->check(CLI::Range(1, 4096));
    cebraCmd->add_option("--hidden", ceb.hidden, "Hidden units (default 128)")
        ->check(CLI::Range(2, 4096));
    cebraCmd
        ->add_option("--iterations", ceb.iterations, "Training steps (default 10000, the paper's)")
        ->check(CLI::Range(1, 10000000));
    cebraCmd->add_option("--batch", ceb.batch, "Batch size (default 512)")
        ->check(CLI::Range(2, 1000000));
    cebraCmd->add_option("--lr", ceb.learningRate, "Adam learning rate (default 3e-4)")
        ->check(CLI::PositiveNumber);
    cebraCmd->add_option("--temperature", ceb.temperature, "InfoNCE temperature (default 1)")
        ->check(CLI::PositiveNumber);
    cebraCmd->add_flag("--learnable-temperature", ceb.learnableTemperature,
                       "Learn the temperature (from --temperature, down to --min-temperature)");
    cebraCmd
        ->add_option("--min-temperature", ceb.minTemperature,
                     "Smallest learnable temperature (default 0.1)")
        ->check(CLI::PositiveNumber);
    cebraCmd
        ->add_option("--time-offset", ceb.timeOffset,
                     "Time offset of positives in samples (default 1)")
        ->check(CLI::Range(1, 100000));
    cebraCmd->add_flag("--first-index-ties", ceb.firstIndexTies,
                       "Break nearest-label ties by first index, as the reference implementation");
    cebraCmd->add_option("--seed", ceb.seed, "Seed: weights and every sample drawn");
    cebraCmd
        ->add_option("--shuffles", ceb.shuffles,
                     "Encoder-shuffle controls: CEBRA retrained on frame labels shifted per "
                     "training repeat, each decoded as the "
                     "real one; and the label-shuffle controls of each kNN decoding (default 3)")
        ->check(CLI::Range(0, 1000));
    cebraCmd->add_flag("--no-time-baseline", ceb.noTimeBaseline,
                       "Skip the time-only CEBRA trained as a baseline");
    cebraCmd->add_flag("--no-baselines", ceb.noBaselines,
                       "Skip the population kNN and naive-Bayes baselines (1 and 10 frames)");
    cebraCmd
        ->add_option(
            "--consistency-seeds", ceb.consistencySeeds,
            "Also train K runs with the next seeds and report the consistency R² between all runs")
        ->check(CLI::Range(0, 100));
    cebraCmd->add_option("--threads", ceb.threads, "LibTorch threads (default 1; 0: all cores)")
        ->check(CLI::Range(0, 1024));
    cebraCmd->add_option("--device", ceb.device, "cpu (default) or cuda when this LibTorch has it");
    cebraCmd->add_option("--checkpoint", ceb.checkpoint,
                         "Write a checkpoint here every 1000 steps and at the end");
    cebraCmd->add_option("--resume", ceb.resume, "Continue from this checkpoint");
    cebraCmd->add_option("--out", ceb.out,
                         "Store the embedding under /results/<name> of this native file");
    cebraCmd->add_option("--name", ceb.name, "Result name (default: cebra)");
    addSplit(cebraCmd, ceb.split, "they choose the kNN's k and the step to keep");
    addPreprocess(cebraCmd, ceb.pre);
    addCommon(cebraCmd, common);
    return {cebraCmd,
            [args, &common](Progress& progress) { return runTrainCebra(*args, common, progress); }};
}

Command addAlign(CLI::App& app, Common& common)
{
    auto args = std::make_shared<AlignArgs>();
    AlignArgs& al = *args;
    auto* alignCmd = app.add_subcommand("align",
                                        "How well an embedding explains the neurons: a decoder "
                                        "from it back to the responses, scored per unit");
    alignCmd->add_option("file", al.file, "Recording holding the embedding under /results/NAME")
        ->required();
    alignCmd
        ->add_option("--embedding", al.embedding, "The stored embedding (e.g. cebra, vae, tsne)")
        ->required();
    alignCmd
        ->add_option(
            "--model", al.model,
            "ridge (default; penalty chosen on the validation repeats) or mlp (one hidden layer)")
        ->check(CLI::IsMember({"ridge", "mlp"}));
    alignCmd->add_option("--seed", al.seed, "Seed of the MLP");
    alignCmd->add_flag("--no-baseline", al.noBaseline,
                       "Skip the same decoder from PCA of the same dimension");
    addSplit(alignCmd, al.split, "they choose the ridge penalty or the MLP's epoch");
    addPreprocess(alignCmd, al.pre);
    addCommon(alignCmd, common);
    return {alignCmd,
            [args, &common](Progress& progress) { return runAlign(*args, common, progress); }};
}

Command addDecode(CLI::App& app, Common& common)
{
    auto args = std::make_shared<DecodeArgs>();
    DecodeArgs& dec = *args;
    auto* decode = app.add_subcommand(
        "decode", "Decode the movie frame from the activity, with chance and shuffle controls");
    decode->add_option("file", dec.file, "Recording")->required();
    std::vector<std::string> regressors;
    for (const BehaviourRegressorSpec& b : behaviourRegressors()) regressors.push_back(b.name);
    decode->add_option("--model", dec.model,
                       "The decoder: " + frameDecoderNames() +
                           " (default lasso); of a behaviour: " + alternatives(regressors) +
                           " (default ridge)");
    decode->add_option(
        "--behaviour", dec.behaviour,
        "Decode this behaviour (running_speed, pupil_area, ...: see info) instead of "
        "the frame: R², correlation and errors in its units, with chance and "
        "shuffle controls; the regulariser chosen on the last training repeat");
    decode->add_option("--features", dec.features,
                       "raw (responses), pca:K (first K PCs, fitted on the training repeats) or a "
                       "stored embedding");
    // Every decoder's parameters, as the registry describes them; decode refuses one the chosen
    // decoder lacks.
    std::vector<std::pair<std::string, std::vector<ParameterSpec>>> decoders;
    for (const DecoderSpec& d : frameDecoders()) decoders.emplace_back(d.name, d.parameters);
    for (const BehaviourRegressorSpec& b : behaviourRegressors())
        decoders.emplace_back(b.name + " (behaviour)", b.parameters);
    addParameterOptions(decode, decoders, dec.parameters);
    addSplit(decode, dec.split, "the decoders fit on training and validation repeats together");
    decode->add_option("--shuffles", dec.shuffles, "Label-shuffle controls to run (default 0)")
        ->check(CLI::Range(0, 10000));
    decode->add_option("--seed", dec.seed, "Seed of the shuffles");
    decode->add_option(
        "--sweep", dec.sweep,
        "Train and test scores along NAME=V1,V2,...: a numeric parameter of the decoder (alpha for "
        "lasso, C for logistic, k for knn) or pcs=K1,K2,... (features: the first K PCs)");
    addPreprocess(decode, dec.pre);
    addCommon(decode, common);
    return {decode,
            [args, &common](Progress& progress) { return runDecode(*args, common, progress); }};
}

Command addReport(CLI::App& app, Common& common)
{
    auto args = std::make_shared<ReportArgs>();
    ReportArgs& rep = *args;
    auto* report = app.add_subcommand(
        "report",
        "The whole study on one recording (PCA, t-SNE, decoding with controls, VAE, CEBRA, "
        "alignment): figures (PNG + SVG), metrics.json, report.html and the data as CSV");
    report->add_option("file", rep.file, "Recording")->required();
    report
        ->add_option("--out", rep.out,
                     "Folder for the report (made if missing; its report files are replaced)")
        ->required();
    report->add_flag("--quick", rep.quick,
                     "Shorten every fit and training (about a minute on the simulated session)");
    report->add_option("--seed", rep.seed, "Seed of every model, t-SNE and shuffle (default 1)");
    report
        ->add_option("--threads", rep.threads,
                     "LibTorch threads for the models (default 1; 0: all cores)")
        ->check(CLI::Range(0, 1024));
    report
        ->add_option("--shuffles", rep.shuffles, "Label-shuffle controls per decoding (default 3)")
        ->check(CLI::Range(0, 1000));
    addPreprocess(report, rep.pre);
    addCommon(report, common);
    return {report,
            [args, &common](Progress& progress) { return runReport(*args, common, progress); }};
}

Command addSignificance(CLI::App& app, Common& common)
{
    auto args = std::make_shared<SignificanceArgs>();
    SignificanceArgs& sig = *args;
    auto* significance = app.add_subcommand(
        "significance",
        "How significant is CEBRA's frame decoding: accuracy on the held-out repeat against the "
        "number of neurons, "
        "CEBRA next to CEBRA on shuffled labels, kNN and naive Bayes (33 and 330 ms)");
    significance->add_option("file", sig.file, "Recording")->required();
    significance->add_option("--units", sig.units,
                             "Unit counts, drawn at random per seed (default 10,30,100,300,all)");
    significance->add_option("--seeds", sig.seeds, "Draws (and CEBRA seeds) per count (default 3)")
        ->check(CLI::Range(1, 1000));
    significance
        ->add_option("--iterations", sig.iterations,
                     "CEBRA training steps per model (default 1000)")
        ->check(CLI::Range(1, 10000000));
    significance->add_option(
        "--conditional", sig.conditional,
        "CEBRA's labels: frame (default), features:NAME, behaviour:NAME[,NAME] "
        "or hybrid:NAME");
    significance->add_option("--model", sig.model,
                             "CEBRA model: " + cebraArchitectureNames() + " (default offset10)");
    significance->add_option("--dim", sig.dim, "Output dimensions (default 32)")
        ->check(CLI::Range(1, 4096));
    significance->add_option("--hidden", sig.hidden, "Hidden units (default 32)")
        ->check(CLI::Range(2, 4096));
    significance->add_option("--batch", sig.batch, "Batch size (default 512)")
        ->check(CLI::Range(2, 1000000));
    significance->add_flag("--no-encoder-shuffle", sig.noEncoderShuffle,
                           "Skip CEBRA trained on shuffled labels");
    significance->add_option("--seed", sig.seed,
                             "Seed of the unit draws, label shifts and models (default 1)");
    significance->add_option("--threads", sig.threads, "LibTorch threads (default 1; 0: all cores)")
        ->check(CLI::Range(0, 1024));
    significance->add_option("--out", sig.out,
                             "Folder for significance.png, .svg and .csv (made if missing)");
    addSplit(significance, sig.split, "they choose the kNN's k");
    addPreprocess(significance, sig.pre);
    addCommon(significance, common);
    return {significance, [args, &common](Progress& progress) {
                return runSignificance(*args, common, progress);
            }};
}

int run(int argc, char** argv)
{
    CLI::App app{
        "neurolens-cli: how a visual-cortex population encodes a movie, headless.\n"
        "Exit codes: 0 success, 2 usage error, 3 unreadable or invalid input, 4 failed or "
        "cancelled."};
    app.set_version_flag("--version", std::string("neurolens-cli 0.1.0 (SIMD kernels: ") +
                                          simdLevelName(simdLevel()) + ", best on this CPU: " +
                                          simdLevelName(simdLevelSupported()) +
                                          "; NEUROLENS_SIMD=portable|avx2|avx512 caps it)");
    app.require_subcommand(1);
    Common common;

    // In the order --help lists them.
    std::vector<Command> commands{addSimulate(app, common), addInfo(app, common),
                                  addConvert(app, common),  addPca(app, common),
                                  addTsne(app, common),     addEmbed(app, common)};
    CLI::App* train = app.add_subcommand(
        "train", "Train a model (vae or cebra) on the responses, with a progress bar on stderr");
    train->require_subcommand(1);
    for (Command c :
         {addTrainVae(train, common), addTrainCebra(train, common), addAlign(app, common),
          addDecode(app, common), addReport(app, common), addSignificance(app, common)})
        commands.push_back(std::move(c));

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "neurolens-cli: " << e.what()
                  << "\n(run 'neurolens-cli --help' or 'neurolens-cli COMMAND --help')\n";
        return kUsage;
    }

    StderrProgress progress(common.quiet);
    g_progress = &progress;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    try {
        for (const Command& c : commands)
            if (*c.command) return c.run(progress);
    } catch (const CancelledError&) {
        progress.finish();
        std::cerr << "neurolens-cli: cancelled\n";
        return kFailed;
    } catch (const UsageError& e) {
        progress.finish();
        std::cerr << "neurolens-cli: " << e.what() << "\n";
        return kUsage;
    } catch (const InputError& e) {
        progress.finish();
        std::cerr << "neurolens-cli: " << e.what() << "\n";
        return kBadInput;
    } catch (const std::exception& e) {
        progress.finish();
        std::cerr << "neurolens-cli: failed: " << e.what() << "\n";
        return kFailed;
    }
    return kUsage;
}

}  // namespace

int main(int argc, char** argv)
{
    if (neurolens::cli::mayTrainModels(argc, argv)) neurolens::settleThreadEnvironment(argv);
    // Setting up the options could only fail through a programming error; still a message, not a
    // crash.
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "neurolens-cli: internal error: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "neurolens-cli: internal error\n";
    }
    return kFailed;
}

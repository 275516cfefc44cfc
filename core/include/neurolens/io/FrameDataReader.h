#pragma once
// The movie a recording's frames index and per-frame features, from the files users have:
//  movie:    .npy (including Allen's natural_movie_1.h5, which is really an .npy of 900 x 304 x 608
//            uint8) or an HDF5 file with a 3-D uint8 dataset;
//  features: .npy, .npz, a torch.save'd tensor (CEBRA's DINO testfeat.pth; needs a LibTorch build)
//  or an
//            HDF5 file with a 2-D numeric dataset; one row per frame.
// Every problem is an InputError naming the file.

#include "neurolens/data/Recording.h"

#include <string>

namespace neurolens {

Movie readMovie(const std::string& path);
FrameFeatures readFeatures(const std::string& path);

// A short name for features read from `path` ("testfeat.pth" -> "testfeat", DINO's directory layout
// ".../vit_base/8/movie_one_image_stack.npz/testfeat.pth" -> "dino_vit_base_8").
std::string featureName(const std::string& path);

// Attach after checking the frame count against the recording's stimulus (InputError naming
// `path`).
void attachMovie(Recording& recording, Movie movie, const std::string& path);
void attachFeatures(Recording& recording, const std::string& name, FrameFeatures features,
                    const std::string& path);

// Whether this build reads torch.save'd tensors (LibTorch linked).
bool canReadTorchTensors();

}  // namespace neurolens

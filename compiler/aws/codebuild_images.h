#pragma once
// What AWS's curated CodeBuild images ship of the tools `sam build`'s
// builders need beyond the language runtimes, which every curated image has
// (Node.js, Python, Go, .NET, Java, Ruby, make). From the images' Dockerfiles
// in github.com/aws/aws-codebuild-docker-images (release 26.03.25, commit
// 1590e48): no image has esbuild, cargo-lambda or uv; only the aarch64 images
// have Rust (rustup, cargo).

#include <string_view>

namespace mrp {

/// Whether `image` is one of AWS's curated images (`aws/codebuild/...`),
/// whose contents are known; a custom image may hold anything.
inline bool is_curated_codebuild_image(std::string_view image) {
  return image.rfind("aws/codebuild/", 0) == 0;
}

/// Whether the curated `image` has Rust's cargo.
inline bool curated_image_has_cargo(std::string_view image) {
  return image.find("aarch64") != std::string_view::npos;
}

}  // namespace mrp

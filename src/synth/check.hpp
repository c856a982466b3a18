#pragma once
// What synth checks before it writes anything: the manifest's references and
// the limits CloudFormation, Lambda, SQS, S3 and IAM would otherwise reject
// at deploy time, minutes later. Each problem names its JSON path
// ("functions[2].grants[0].resource"), says what is wrong and how to fix it.

#include "manifest/manifest.hpp"
#include "synth/synth.hpp"

#include <gust/result.hpp>

namespace gust::synth {

Result<void> check_manifest(const manifest::Manifest& manifest, const SynthOptions& options);

}  // namespace gust::synth

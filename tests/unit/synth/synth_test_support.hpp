#pragma once
// Loading the manifests the synth tests run on, and walking templates.

#include "manifest/manifest.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace gust::synth::testing {

// "every_kind" (tests/golden/synth, hand-written: every resource kind and
// trigger) or an example's manifest ("todo", tests/golden/manifest).
inline manifest::Manifest load(std::string_view name) {
  const std::string dir = name == "every_kind" ? "/tests/golden/synth/" : "/tests/golden/manifest/";
  std::ifstream in(std::string(GUST_SOURCE_DIR) + dir + std::string(name) + ".manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  auto m = manifest::parse(text.str());
  EXPECT_TRUE(m) << name << ": " << m.error().describe();
  return m ? *m : manifest::Manifest{};
}

inline const Value& resource(const Value& t, std::string_view id) {
  static const Value kNull;
  const Value* r = t.find("Resources") ? t.find("Resources")->find(id) : nullptr;
  EXPECT_NE(r, nullptr) << "no resource " << id;
  return r ? *r : kNull;
}

inline const Value& props(const Value& t, std::string_view id) {
  static const Value kNull;
  const Value* p = resource(t, id).find("Properties");
  return p ? *p : kNull;
}

inline std::string text(const Value* v) { return v ? to_json_text(*v) : "(absent)"; }

}  // namespace gust::synth::testing

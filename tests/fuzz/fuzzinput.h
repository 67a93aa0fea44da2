// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// libFuzzer's entry point, and a check that reports a broken property the
// way a crash is reported (libFuzzer saves the input that caused it).
#define PW_FUZZ_TARGET extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)

// A KFP v1 graph component may name its components by URL; the loaders then
// fetch them (fetch/componentfetch.h). A fuzzer never goes to the network:
// offline, with an empty cache, such a reference is a located error.
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    setenv("PIPEWRIGHT_OFFLINE", "1", 1);
    setenv("PIPEWRIGHT_COMPONENT_CACHE", "/nonexistent/pipewright-fuzz-cache", 1);
    return 0;
}

inline std::string_view fuzzText(const std::uint8_t *data, std::size_t size)
{
    return {reinterpret_cast<const char *>(data), size};
}

#define PW_FUZZ_CHECK(condition)                                                                             \
    do {                                                                                                     \
        if (!(condition)) {                                                                                  \
            std::fprintf(stderr, "property broken: %s (%s:%d)\n", #condition, __FILE__, __LINE__);           \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (false)

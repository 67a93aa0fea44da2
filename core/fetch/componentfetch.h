// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <string>
#include <string_view>

namespace pw {

// Components that KFP v1 graph components name by `componentRef: {url, digest}`
// instead of embedding them. Fetched files are kept in the component cache,
// content-addressed as `<cache>/<sha256>.yaml` (the layout the document
// reader uses for `url` components) and, for references without a digest,
// also as `<cache>/url/<sha256 of the URL>.yaml`. Files are written
// atomically, with CRLF line ends made LF, so a file's sha256 is its KFP digest.

// $PIPEWRIGHT_COMPONENT_CACHE, else $XDG_CACHE_HOME/pipewright/components
// (~/.cache/pipewright/components).
std::string componentCacheDir();

// Whether $PIPEWRIGHT_OFFLINE says never to use the network (1, true, yes).
bool offlineMode();

// KFP's digest of a component file: sha256 of its text with CRLF made LF,
// as lower-case hex.
std::string componentDigest(std::string_view text);

struct FetchedComponent {
    std::string text;
    std::string cachePath; // where it is kept ("" when it could not be written)
    bool fromCache = false;
};

// Finds the component that `url` and/or `digest` name: a cached copy of the
// digest first (it cannot differ from what the URL serves, if the pin holds),
// else the URL over HTTPS (httpGetText), whose digest must then equal the
// pin; without a pin, the URL's cached copy when the fetch fails or the
// network is off. Errors name the URL and, for a pin mismatch, both digests;
// their location is left to the caller (the reference in its file).
Result<FetchedComponent> resolveRemoteComponent(const std::string &url, const std::string &digest);

} // namespace pw

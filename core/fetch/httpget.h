// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <string>

namespace pw {

// One GET of a small text file (a component.yaml) over HTTPS, with TLS
// verification on (against $PIPEWRIGHT_CA_FILE when set, else the system's
// certificates), redirects followed (HTTPS only) and the body capped.
// Plain http:// is taken only for a loopback host (127.0.0.1, ::1,
// localhost): such traffic never leaves the machine. No connection, a TLS
// failure, a timeout or an HTTP error status is an Error whose message names
// the URL and what went wrong.
Result<std::string> httpGetText(const std::string &url);

// Whether `url` may be fetched at all (https://, or http:// to a loopback host);
// an empty string when it may, else why not.
std::string whyUrlRefused(const std::string &url);

} // namespace pw

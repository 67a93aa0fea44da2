// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "googleauthcredentials.h"
#include "runs/backendconfig.h"

namespace pw::google {

// The Google credentials a backend configuration names: a key or ADC file
// (`googleCredentials` setting), else a token command or other credential
// source, else Application Default Credentials the way Google's libraries
// find them.
Result<GoogleCredentials> credentialsFor(const BackendConfig &config);

} // namespace pw::google

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "googleauthcredentials.h"
#include "util/result.h"

#include <optional>
#include <string>

namespace pw::google {

// What Application Default Credentials discovery reads from the process
// environment; tests give their own.
struct AdcEnvironment {
    std::optional<std::string> googleApplicationCredentials; // GOOGLE_APPLICATION_CREDENTIALS
    std::optional<std::string> cloudSdkConfig;               // CLOUDSDK_CONFIG
    std::string home;                                        // $HOME, else the password database's

    static AdcEnvironment fromProcess();
};

// Application Default Credentials, found the way Google's client libraries
// find them (google-auth's _default.py, google-auth-library-nodejs, Go's
// golang.org/x/oauth2/google), minus the metadata server:
//   1. GOOGLE_APPLICATION_CREDENTIALS, when set and not empty: that file, and
//      only that file (a missing one is an error, not a reason to look on);
//   2. the gcloud ADC file: $CLOUDSDK_CONFIG/application_default_credentials.json,
//      or ~/.config/gcloud/application_default_credentials.json.
// Pipewright never asks a GCE/GKE metadata server (it runs on workstations
// and CI; probing 169.254.169.254 costs a timeout off Google Cloud).
class ApplicationDefaultCredentials final {
public:
    // The gcloud ADC file's path for this environment (it may not exist).
    static std::string gcloudFilePath(const AdcEnvironment &env);
    // The file discovery settles on, or an error saying what was looked at.
    static Result<std::string> locate(const AdcEnvironment &env);
    // locate() + GoogleCredentials::fromFile().
    static Result<GoogleCredentials> load(const AdcEnvironment &env = AdcEnvironment::fromProcess());
};

} // namespace pw::google

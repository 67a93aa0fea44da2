# SPDX-License-Identifier: Apache-2.0
"""Makes the KFP test server's modules (../kfp: protoschema, specs, runs,
blueprints, ...) importable. This server reuses them by path rather than
copying them; none of its own modules shares a name with one of theirs."""
import os
import sys

KFP_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kfp")
if KFP_DIR not in sys.path:
    sys.path.append(KFP_DIR)

#!/usr/bin/env bash
# Regenerates Tests/Fixtures/keras-applications (see make_fixtures.py). Takes about 30 minutes
# on 2 cores. STAGE keeps the unpacked JSON; a model already staged is not rebuilt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STAGE=${STAGE:-/tmp/keras-applications-stage}
"$here/setup-venvs.sh"
/root/venvs/tflite/bin/python "$here/make_fixtures.py" keras3 "$STAGE" "$@"
/root/venvs/keras/bin/python "$here/make_fixtures.py" keras2 "$STAGE" "$@"
python3 "$here/make_fixtures.py" pack "$STAGE" "$here/../../Tests/Fixtures/keras-applications"

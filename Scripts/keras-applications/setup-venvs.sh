#!/usr/bin/env bash
# The two Python environments the keras.applications fixtures come from, both outside the repo.
#
# - /root/venvs/tflite (reused, read-only): tensorflow-cpu 2.21.0, keras 3.15.1, numpy 2.4.6.
#   If it is missing, it is made here from PyPI with those pins.
# - /root/venvs/keras: a thin venv that sees tflite's packages (a .pth file) and adds
#   tf_keras 2.21.0 (the Keras 2 package), which writes the older tf.keras JSON layout.
set -euo pipefail
BASE=/root/venvs/tflite
KERAS2=/root/venvs/keras
if [ ! -x "$BASE/bin/python" ]; then
  python3 -m venv "$BASE"
  "$BASE/bin/pip" install tensorflow-cpu==2.21.0 keras==3.15.1 numpy==2.4.6
fi
if [ ! -x "$KERAS2/bin/python" ]; then
  python3 -m venv "$KERAS2"
  site=$("$BASE/bin/python" -c 'import site; print(site.getsitepackages()[0])')
  own=$("$KERAS2/bin/python" -c 'import site; print(site.getsitepackages()[0])')
  echo "$site" > "$own/tflite-packages.pth"
  "$KERAS2/bin/pip" install --no-deps tf_keras==2.21.0
fi
"$BASE/bin/python" -c 'import tensorflow as tf, keras; print("tensorflow", tf.__version__, "keras", keras.__version__)'
"$KERAS2/bin/python" -c 'import tf_keras; print("tf_keras", tf_keras.__version__)'

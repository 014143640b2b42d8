#!/usr/bin/env bash
# The browser test (tests/cli/test_serve.py) drives Debian's chromium: install it when
# missing and this machine can (root with apt-get); otherwise that test says what to do.
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium for the browser test (apt-get)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "could not install chromium; tests/cli/test_serve.py will fail" >&2
fi
exit 0

#!/bin/sh
# Collect stock script: brings the freshly installed {{ os.name }} up to date.
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update && apt-get -y dist-upgrade
elif command -v dnf >/dev/null 2>&1; then
  dnf -y upgrade
elif command -v yum >/dev/null 2>&1; then
  yum -y update
fi

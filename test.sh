#!/usr/bin/env bash
# The README's test command: installs what a fresh Debian machine lacks for the tests, then runs dotnet test.
set -euo pipefail
cd "$(dirname "$0")"

need=()
# Browser tests drive Debian's chromium through Playwright (no browser download).
[ -x /usr/bin/chromium ] || need+=(chromium)
# The hardware test runs the real hwdetect script: it fetches with wget and posts with curl, and reads lscpu/lsblk.
command -v wget >/dev/null 2>&1 || need+=(wget)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v lsblk >/dev/null 2>&1 || need+=(util-linux)
# The network-boot test boots qemu's iPXE firmware against Collect.
command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
[ -e /usr/lib/ipxe/qemu/pxe-e1000.rom ] || need+=(ipxe-qemu)
# The backup tests start their own SFTP (OpenSSH) and FTP (vsftpd) servers on loopback; ssh-keygen and openssl make their keys.
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
[ -x /usr/sbin/vsftpd ] || need+=(vsftpd)
command -v openssl >/dev/null 2>&1 || need+=(openssl)

# The scale-out tests start their own PostgreSQL server (Debian's package) on loopback.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)

if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

dotnet test Collect.sln "$@"

# The API and service tests again on PostgreSQL (Database:Provider = Postgres; the tests start their own server):
# everything but the SQLite-only backups, the browser and component tests (no database of their own) and the two-node
# tests (already on PostgreSQL). Skipped when arguments (e.g. a --filter) were given for the run above.
if [ $# -eq 0 ]; then
  COLLECT_TEST_DATABASE=postgres dotnet test Collect.sln --no-build \
    --filter "FullyQualifiedName!~Collect.Tests.Backups&FullyQualifiedName!~Collect.Tests.Browser&FullyQualifiedName!~Collect.Tests.Components&FullyQualifiedName!~Collect.Tests.ScaleOut"
fi

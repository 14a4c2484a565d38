#!/usr/bin/env bash
# Install the Debian packages a purpose needs, only where they are missing.
#   run:  fonts for the signed declaration's PDF (Noto: Latin, Cyrillic, Greek, Arabic, CJK)
#   test: also PostgreSQL (the second engine), Chromium (browser tests), poppler (PDF checks),
#         LibreOffice Writer (the independent reader and writer of the Word documents)
set -euo pipefail
purpose=${1:-run}

need=()
have_font() { fc-list 2>/dev/null | grep -i "$1" >/dev/null; }  # not -q: with pipefail, an early exit fails the pipe
have_font "NotoSerif-Regular" || need+=(fonts-noto-core)
have_font "NotoSerifCJK" || need+=(fonts-noto-cjk)
command -v fc-list >/dev/null || need+=(fontconfig)
if [ "$purpose" = test ]; then
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
  command -v chromium >/dev/null || need+=(chromium)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]} — install them with: sudo apt-get install ${need[*]}" >&2
  [ "$purpose" = test ] && exit 1
  exit 0
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

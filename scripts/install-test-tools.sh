#!/usr/bin/env bash
# Installs what the browser, accessibility, HTML-validity and PDF tests need on a Debian 12
# machine, as root: Debian's Chromium (Playwright drives it; nothing downloads a browser),
# Java for the Nu HTML Checker, zbar (QR decoding), poppler (pdftoppm), librsvg, Pango and
# fonts for WeasyPrint, then axe-core and vnu-jar from the npm registry (package-lock.json).
# Idempotent and quick when everything is there: apt and npm run only for what is missing.
# Python packages are not installed here: the Makefile installs '.[test]' into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

# package: the command or file that shows it is installed
declare -A NEEDED=(
  [chromium]="cmd:chromium"
  [default-jre-headless]="cmd:java"
  [zbar-tools]="cmd:zbarimg"
  [poppler-utils]="cmd:pdftoppm"
  [librsvg2-bin]="cmd:rsvg-convert"
  [libpango-1.0-0]="pkg"
  [libpangoft2-1.0-0]="pkg"
  [fonts-dejavu-core]="pkg"
  [fonts-sil-andika]="pkg"
  [npm]="cmd:npm"
)

missing=()
for package in "${!NEEDED[@]}"; do
  check=${NEEDED[$package]}
  if [[ $check == cmd:* ]]; then
    command -v "${check#cmd:}" >/dev/null 2>&1 && continue
  else
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" && continue
  fi
  missing+=("$package")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-test-tools: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  echo "install-test-tools: apt-get install ${missing[*]}"
  # An install from stale or absent package lists fails; refresh them only then.
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# npm ci wipes and rewrites node_modules (32 MB for vnu.jar): skip it when node_modules was
# installed from this very lock file. --ignore-scripts: vnu-jar's postinstall would fetch a
# Java runtime of its own; Debian's is the one we use.
stamp=node_modules/.installed-from-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$wanted" \
      || ! -f node_modules/axe-core/axe.min.js || ! -f node_modules/vnu-jar/build/dist/vnu.jar ]]; then
  echo "install-test-tools: npm ci"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$wanted" >"$stamp"
fi

echo "install-test-tools: chromium $(chromium --version 2>/dev/null | cut -d' ' -f2)," \
  "java $(java -version 2>&1 | head -1 | cut -d'"' -f2)," \
  "axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')," \
  "vnu-jar $(node -p 'require("./node_modules/vnu-jar/package.json").version')"

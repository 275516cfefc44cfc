#!/usr/bin/env bash
# Installs whichever Debian packages listed in packaging/debian-packages.txt are missing
# (apt-get update first, then apt-get install). Does nothing when all are present.
set -euo pipefail
list="$(cd "$(dirname "$0")/.." && pwd)/packaging/debian-packages.txt"
missing=()
while read -r pkg _; do
  [[ -z "${pkg}" || "${pkg}" == \#* ]] && continue
  status=$(dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null || true)
  [[ "${status}" == "install ok installed" ]] || missing+=("${pkg}")
done < "${list}"
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "Installing missing Debian packages: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
${sudo} apt-get update
DEBIAN_FRONTEND=noninteractive ${sudo} apt-get install -y --no-install-recommends "${missing[@]}"

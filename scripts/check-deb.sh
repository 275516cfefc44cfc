#!/usr/bin/env bash
# Builds the Debian package of a build folder and checks it: the files a desktop needs are in it, its
# metadata validate, its dependencies name the runtime libraries, and the packaged programs run from an
# unpacked copy (neurolens-cli simulates and reads a session; neurolens draws it and saves a screenshot).
# Usage: scripts/check-deb.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "${build}"
rm -f neurolens_*.deb
cpack -G DEB >/dev/null
deb="$(ls neurolens_*.deb)"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
dpkg-deb -x "${deb}" "${work}/root"
dpkg-deb -I "${deb}" > "${work}/info"
for f in usr/bin/neurolens-cli usr/bin/neurolens usr/share/applications/org.neurolens.Neurolens.desktop \
         usr/share/metainfo/org.neurolens.Neurolens.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/org.neurolens.Neurolens.svg usr/share/mime/packages/neurolens.xml; do
  [[ -e "${work}/root/${f}" ]] || { echo "missing from ${deb}: /${f}" >&2; exit 1; }
done
for dep in libqt6widgets6 libvtk9.1 libtorch1.13 libhdf5; do
  grep -q "Depends:.*${dep}" "${work}/info" || { echo "${deb} does not depend on ${dep}" >&2; exit 1; }
done
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "${work}/root/usr/share/metainfo/org.neurolens.Neurolens.metainfo.xml" >/dev/null
fi
grep -q '^Exec=neurolens %F$' "${work}/root/usr/share/applications/org.neurolens.Neurolens.desktop"
grep -q 'pattern="\*.neurolens.h5"' "${work}/root/usr/share/mime/packages/neurolens.xml"
cli="${work}/root/usr/bin/neurolens-cli"
"${cli}" --version | grep -q "neurolens-cli"
"${cli}" simulate --out "${work}/s.neurolens.h5" --units 40 --repeats 3 --frames 60 -q >/dev/null
"${cli}" info "${work}/s.neurolens.h5" --json -q | grep -q '"units": *40'
if command -v xvfb-run >/dev/null; then
  xvfb-run -a -s '-screen 0 1280x900x24' "${work}/root/usr/bin/neurolens" "${work}/s.neurolens.h5" \
    --screenshot "${work}/shot.png" >/dev/null 2>&1
  [[ -s "${work}/shot.png" ]] || { echo "the packaged neurolens did not draw its window" >&2; exit 1; }
fi
echo "${deb}: $(stat -c %s "${deb}") bytes, files, metadata, dependencies and programs checked"

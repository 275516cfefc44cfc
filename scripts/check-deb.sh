#!/usr/bin/env bash
# Builds the Debian package of a build folder and checks it: the files a desktop needs are in it (with
# the copyright file, man pages and bash completion), its metadata validate, its MIME types resolve
# (their parents exist; recordings, sessions and NWB files get their own types), its dependencies name
# the runtime libraries, and the packaged programs run from an unpacked copy (neurolens-cli simulates
# and reads a session; neurolens draws it and saves a screenshot).
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
cli="${work}/root/usr/bin/neurolens-cli"
for f in usr/bin/neurolens-cli usr/bin/neurolens usr/share/applications/org.neurolens.Neurolens.desktop \
         usr/share/metainfo/org.neurolens.Neurolens.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/org.neurolens.Neurolens.svg usr/share/mime/packages/neurolens.xml \
         usr/share/doc/neurolens/copyright usr/share/man/man1/neurolens-cli.1.gz usr/share/man/man1/neurolens.1.gz \
         usr/share/bash-completion/completions/neurolens-cli; do
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
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
  "${work}/root/usr/share/doc/neurolens/copyright"
# The man pages: every command of the CLI documented, with the exit codes.
for page in neurolens-cli neurolens; do
  zcat "${work}/root/usr/share/man/man1/${page}.1.gz" | grep -q '^\.SH NAME' ||
    { echo "${page}.1.gz is not a man page" >&2; exit 1; }
done
for section in '"EXIT STATUS"' '"neurolens-cli decode"' '"neurolens-cli train cebra"'; do
  zcat "${work}/root/usr/share/man/man1/neurolens-cli.1.gz" | grep -q "${section}" ||
    { echo "neurolens-cli.1 lacks ${section}" >&2; exit 1; }
done
# The completion offers commands and each command's own options.
completes() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _neurolens_cli; echo "${COMPREPLY[*]}"' \
    _ "${work}/root/usr/share/bash-completion/completions/neurolens-cli" "$@"
}
[[ "$(completes neurolens-cli dec)" == decode ]] || { echo "completion: no 'decode'" >&2; exit 1; }
[[ "$(completes neurolens-cli decode --alp)" == --alpha ]] || { echo "completion: no '--alpha'" >&2; exit 1; }
[[ "$(completes neurolens-cli train cebra --arch)" == "" ]] || { echo "completion: offers a missing option" >&2; exit 1; }
# The MIME types: parents that exist, and each kind of file recognised (by name, and as HDF5).
if command -v update-mime-database >/dev/null && [[ -f /usr/share/mime/packages/freedesktop.org.xml ]]; then
  mkdir -p "${work}/xdg/mime/packages"
  cp /usr/share/mime/packages/freedesktop.org.xml "${work}/root/usr/share/mime/packages/neurolens.xml" \
    "${work}/xdg/mime/packages/"
  update-mime-database "${work}/xdg/mime" >/dev/null 2>&1
  for parent in $(grep -o 'sub-class-of type="[^"]*"' "${work}/root/usr/share/mime/packages/neurolens.xml" | cut -d'"' -f2 | sort -u); do
    grep -qx "${parent}" "${work}/xdg/mime/types" || { echo "MIME parent ${parent} does not exist" >&2; exit 1; }
  done
  if command -v gio >/dev/null; then
    "${cli}" simulate --out "${work}/m.neurolens.h5" --units 5 --repeats 2 --frames 10 -q >/dev/null
    for pair in "m.neurolens.h5 application/x-neurolens-recording" "m.neurolens-session application/x-neurolens-session" \
                "m.nwb application/x-nwb"; do
      set -- ${pair}
      [[ -e "${work}/$1" ]] || cp "${work}/m.neurolens.h5" "${work}/$1"
      type="$(XDG_DATA_HOME="${work}/xdg" XDG_DATA_DIRS="${work}/xdg" gio info -a standard::content-type "${work}/$1" | sed -n 's/.*content-type: //p')"
      [[ "${type}" == "$2" ]] || { echo "MIME: $1 is ${type}, not $2" >&2; exit 1; }
    done
  fi
fi
"${cli}" --version | grep -q "neurolens-cli"
"${cli}" simulate --out "${work}/s.neurolens.h5" --units 40 --repeats 3 --frames 60 -q >/dev/null
"${cli}" info "${work}/s.neurolens.h5" --json -q | grep -q '"units": *40'
if command -v xvfb-run >/dev/null; then
  xvfb-run -a -s '-screen 0 1280x900x24' "${work}/root/usr/bin/neurolens" "${work}/s.neurolens.h5" \
    --screenshot "${work}/shot.png" >/dev/null 2>&1
  [[ -s "${work}/shot.png" ]] || { echo "the packaged neurolens did not draw its window" >&2; exit 1; }
fi
echo "${deb}: $(stat -c %s "${deb}") bytes, files, metadata, dependencies and programs checked"

#!/usr/bin/env bash
# Writes a program's man page (gzipped) with help2man from its own --help and --version, adding the
# sections in packaging/man/NAME.h2m and, for each subcommand named, that command's --help.
# Usage: scripts/make-man.sh PROGRAM VERSION OUT.1.gz "one-line description" [SUBCOMMAND...]
set -euo pipefail
program="$1"
version="$2"
out="$3"
description="$4"
shift 4
root="$(cd "$(dirname "$0")/.." && pwd)"
name="$(basename "${program}")"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
# A GUI program prints its help without a display.
export QT_QPA_PLATFORM=offscreen
# roff: backslashes escaped, lines that start with a dot or a quote protected.
roff() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e "s|${program}|${name}|g"; }
cp "${root}/packaging/man/${name}.h2m" "${work}/include.h2m"
if (($# > 0)); then
  echo "[COMMANDS]" >> "${work}/include.h2m"
  for command in "$@"; do
    # shellcheck disable=SC2086  # "train vae" is a command and its model
    printf '.SS "%s %s"\n.nf\n' "${name}" "${command}" >> "${work}/include.h2m"
    "${program}" ${command} --help | roff >> "${work}/include.h2m"
    printf '.fi\n' >> "${work}/include.h2m"
  done
fi
help2man --no-info --version-string="${version}" --name="${description}" \
  --include="${work}/include.h2m" --output="${work}/${name}.1" "${program}"
sed -i "s|${program}|${name}|g" "${work}/${name}.1"
gzip -9n -c "${work}/${name}.1" > "${out}.part"
mv "${out}.part" "${out}"

#!/usr/bin/env bash
# The style CI enforces: every tracked C++ file formatted by .clang-format, and clang-tidy (.clang-tidy's
# checks) clean on every translation unit of a configured build. Exits non-zero on any finding.
#   scripts/check-style.sh [BUILD_DIR]     (default build/ci; needs its compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/ci}"
format=$(command -v clang-format-14 || command -v clang-format)
tidy=$(command -v clang-tidy-14 || command -v clang-tidy)

mapfile -t files < <(git ls-files '*.cpp' '*.h')
echo "clang-format: ${#files[@]} files"
"${format}" --dry-run --Werror "${files[@]}"

[[ -f "${build}/compile_commands.json" ]] || { echo "${build}/compile_commands.json is missing: configure ${build} first" >&2; exit 2; }
# The project's own translation units (not the tests, not the generated moc files), two at a time,
# one per clang-tidy run, those including LibTorch (the slowest, ~30 s each) first so that neither
# core is left with them at the end.
mapfile -t units < <(python3 - "${build}/compile_commands.json" <<'PY'
import json, os, sys
root = os.getcwd() + "/"
units = []
for entry in json.load(open(sys.argv[1])):
    f = entry["file"]
    if f.startswith(root) and "/build/" not in f and "/tests/" not in f and f.endswith(".cpp"):
        units.append(f)
print("\n".join(sorted(units, key=lambda f: "/core/src/torch/" not in f)))
PY
)
[[ -n "${units[0]:-}" ]] || { echo "${build}/compile_commands.json lists none of the project's units" >&2; exit 2; }
echo "clang-tidy: ${#units[@]} translation units"
log=$(mktemp)
trap 'rm -f "${log}"' EXIT
# GCC's flags that clang does not know are not findings.
printf '%s\n' "${units[@]}" | xargs -P 2 -n 1 "${tidy}" -p "${build}" --quiet --warnings-as-errors='*' \
    --extra-arg=-Wno-unknown-warning-option --extra-arg=-Wno-unused-command-line-argument >"${log}" 2>&1 || {
    grep -E "warning:|error:" "${log}" | sort -u >&2
    echo "clang-tidy found the problems above" >&2
    exit 1
}
echo "style: clean"

#!/usr/bin/env bash
# Writes the bash completion of neurolens-cli from the program's own --help (so it never lists a
# command or option the program lacks): commands, `train`'s models, each command's options; file
# names elsewhere.
# Usage: scripts/make-completion.sh path/to/neurolens-cli OUT_FILE
set -euo pipefail
cli="$1"
out="$2"
# The names under a help text's "Subcommands:" heading, and the long and short options it lists.
commands() { "${cli}" "$@" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p' | tr '\n' ' '; }
options() {
  "${cli}" "$@" --help | sed -n '/^Options:/,/^Subcommands:/p' |
    grep -oE '^ +(-[A-Za-z],)?--?[A-Za-z][A-Za-z0-9-]*(,--[A-Za-z0-9-]+)?' | tr ',' '\n' | tr -d ' ' | sort -u | tr '\n' ' '
}
top="$(commands)"
{
  echo "# bash completion for neurolens-cli (generated from its --help by scripts/make-completion.sh)"
  echo "_neurolens_cli()"
  echo "{"
  echo "    COMPREPLY=()"
  echo "    local cur=\"\${COMP_WORDS[COMP_CWORD]}\" command=\"\" sub=\"\" word i"
  echo "    for ((i = 1; i < COMP_CWORD; i++)); do"
  echo "        word=\"\${COMP_WORDS[i]}\""
  echo "        [[ \"\${word}\" == -* ]] && continue"
  echo "        if [[ -z \"\${command}\" ]]; then command=\"\${word}\"; elif [[ \"\${command}\" == train && -z \"\${sub}\" ]]; then sub=\"\${word}\"; fi"
  echo "    done"
  echo "    local words=\"\""
  echo "    case \"\${command}\${sub:+ \${sub}}\" in"
  echo "        \"\") words=\"${top}$(options)\" ;;"
  for c in ${top}; do
    if [[ "${c}" == train ]]; then
      models="$(commands train)"
      echo "        train) words=\"${models}$(options train)\" ;;"
      for m in ${models}; do
        echo "        \"train ${m}\") words=\"$(options train "${m}")\" ;;"
      done
    else
      echo "        ${c}) words=\"$(options "${c}")\" ;;"
    fi
  done
  echo "    esac"
  echo "    if [[ \"\${cur}\" == -* || -z \"\${command}\" || ( \"\${command}\" == train && -z \"\${sub}\" ) ]]; then"
  echo "        mapfile -t COMPREPLY < <(compgen -W \"\${words}\" -- \"\${cur}\")"
  echo "    fi"
  echo "}"
  echo "complete -o default -o bashdefault -F _neurolens_cli neurolens-cli"
} > "${out}.part"
mv "${out}.part" "${out}"

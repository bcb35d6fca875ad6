# shellcheck shell=bash
# Reads the JVM options of one ktriage command from cli/jvm/<command>.options: one option per line,
# blank lines and lines starting with # skipped, @JVM_DIR@ replaced by this directory. The launcher
# (./ktriage) and the benchmarks (bench/depot/run.sh) both source this file, so the options live in one
# place; why each option is there: docs/performance.md. Shell built-ins only: the launcher runs this
# before every command.
#
# ktriage_jvm_options COMMAND JVM_DIR  -> sets the array KTRIAGE_JVM_OPTIONS (empty when the command
# has no options file); returns 1 when there is none.
ktriage_jvm_options() {
  local file="$2/$1.options" line
  KTRIAGE_JVM_OPTIONS=()
  [ -f "$file" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    [ -n "$line" ] || continue
    KTRIAGE_JVM_OPTIONS+=("${line//@JVM_DIR@/$2}")
  done < "$file"
  return 0
}

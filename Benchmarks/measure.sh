# Sourced by the benchmark scripts: `measure COMMAND...` prints "seconds megabytes", the wall
# time of the fastest of $RUNS runs (fresh processes, output to /dev/null) and that run's peak
# resident memory, both from /usr/bin/time -v; "- -" when the command fails.
measure() {
  local best_s="" best_mb="" log
  log=$(mktemp)
  for _ in $(seq "$RUNS"); do
    if ! /usr/bin/time -v "$@" >/dev/null 2>"$log"; then
      echo "failed: $* (see below)" >&2
      tail -5 "$log" >&2
      rm -f "$log"
      echo "- -"
      return
    fi
    local wall kb s
    wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
    kb=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
    s=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then
      best_s=$s
      best_mb=$(awk "BEGIN{printf \"%.0f\", $kb/1024}")
    fi
  done
  rm -f "$log"
  echo "$best_s $best_mb"
}
